import { ApiException } from '@kubernetes/client-node';
import { EnvironmentError, errorMessage, ReboundError } from '../../common/errors.js';

// client-node 2.x throws ApiException (status code + Status body) for HTTP errors and undici's
// TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }) when nothing answers.

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** The HTTP status of a failed API call, or undefined when the call never got an answer. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The API server's own message (Status.message) when it sent one. */
export function apiMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = typeof error.body === 'string' ? safeParse(error.body) : error.body;
    const message = (body as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' ? `${error.code}: ${message}` : `HTTP ${error.code}`;
  }
  return errorMessage(error);
}

export function isUnreachable(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown }; code?: unknown } | undefined)?.cause?.code ?? (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  return error instanceof Error && (error.name === 'TimeoutError' || /fetch failed|socket hang up/.test(error.message));
}

/**
 * Runs one API call and turns the failures a person can act on into EnvironmentError (exit 3):
 * nothing answers, or the credentials are refused. Anything else keeps its status in the message.
 */
export async function kubeCall<T>(what: string, where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainKubeError(error, what, where);
  }
}

export function explainKubeError(error: unknown, what: string, where: string): Error {
  if (error instanceof ReboundError) return error;
  if (isUnreachable(error)) {
    return new EnvironmentError(`the Kubernetes API at ${where} does not answer (${what}): ${describeCause(error)}`, {
      hint: 'is the cluster running? For the kind cluster: bash scripts/kind-cluster.sh status (or up); check --kubeconfig and --context',
      cause: error,
    });
  }
  const status = statusOf(error);
  if (status === 401 || status === 403) {
    return new EnvironmentError(`the Kubernetes API at ${where} refused ${what}: ${apiMessage(error)}`, {
      hint: 'the kubeconfig user lacks the permission: use a context with rights on this namespace and nodes',
      cause: error,
    });
  }
  return new Error(`${what} failed: ${apiMessage(error)}`, { cause: error });
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${errorMessage(error)} (${cause.message})` : errorMessage(error);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // not JSON: the caller falls back to the status code
  }
}

/** Resolves to the call's value, or rejects with a TimeoutError after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer within ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
