import type { Dispatcher } from 'undici';
import { crossedNodesFromHeader, instanceFromBody, instanceFromHeader, versionFromBody, versionFromHeader } from './answering-instance.js';
import { requestErrorCode } from './request-error-code.js';

export interface RequestOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  instance?: string;
  version?: string;
  crossedNodes?: boolean;
}

/** One probe GET through the dispatcher, body read fully; failures become an error code, never a throw. */
export async function sendRequest(dispatcher: Dispatcher, origin: string, path: string, timeoutMs: number, keepAlive = true): Promise<RequestOutcome> {
  try {
    // A hard deadline (connect included) on top of undici's header/body timeouts, so a probe
    // request fails on time whatever hangs. keepAlive false closes the connection after each
    // answer (`reset`): a Kubernetes Service balances connections, not requests, so only fresh
    // connections show how it spreads them.
    const response = await dispatcher.request({ origin, path, method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs), ...(!keepAlive && { reset: true }) });
    const body = await response.body.text();
    const instance = instanceFromHeader(response.headers['x-instance']) ?? instanceFromBody(body);
    const version = versionFromHeader(response.headers['x-version']) ?? versionFromBody(body);
    const crossedNodes = crossedNodesFromHeader(response.headers['x-crossed-nodes']);
    return {
      ok: response.statusCode >= 200 && response.statusCode < 400,
      status: response.statusCode,
      ...(instance !== undefined && { instance }),
      ...(version !== undefined && { version }),
      ...(crossedNodes !== undefined && { crossedNodes }),
    };
  } catch (error) {
    return { ok: false, error: requestErrorCode(error) };
  }
}
