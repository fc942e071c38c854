import type { Dispatcher } from 'undici';

export interface RequestOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  instance?: string;
}

const INSTANCE_BODY = /^instance (\S+)/;

/** One GET through the dispatcher, body read fully; failures become an error code, never a throw. */
export async function sendRequest(dispatcher: Dispatcher, origin: string, path: string, timeoutMs: number, hardDeadline = true, keepAlive = true): Promise<RequestOutcome> {
  try {
    // The probe needs a hard deadline (connect included); the load generator relies on undici's
    // header/body timeouts alone, since an AbortSignal per request costs throughput.
    // keepAlive false closes the connection after each answer (`reset`): a Kubernetes Service
    // balances connections, not requests, so only fresh connections show how it spreads them.
    const response = await dispatcher.request({ origin, path, method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, ...(!keepAlive && { reset: true }), ...(hardDeadline && { signal: AbortSignal.timeout(timeoutMs) }) });
    const body = await response.body.text();
    const header = response.headers['x-instance'];
    const instance = (Array.isArray(header) ? header[0] : header) ?? INSTANCE_BODY.exec(body)?.[1];
    return { ok: response.statusCode >= 200 && response.statusCode < 400, status: response.statusCode, ...(instance !== undefined && { instance }) };
  } catch (error) {
    return { ok: false, error: errorCode(error) };
  }
}

function errorCode(error: unknown): string {
  const value = error as { name?: string; code?: string; cause?: { code?: string } };
  if (value?.name === 'TimeoutError' || value?.name === 'AbortError' || value?.code === 'UND_ERR_HEADERS_TIMEOUT' || value?.code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  return value?.code ?? value?.cause?.code ?? value?.name ?? 'error';
}
