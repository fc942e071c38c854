import { UsageError } from '../common/errors.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Probe and load traffic only ever go to this machine's loopback (published ports, NodePorts). */
export function requireLoopbackUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) throw new UsageError(`not an http(s) URL: ${url}`);
  if (!LOOPBACK.has(parsed.hostname)) {
    throw new UsageError(`refusing to send traffic to ${parsed.hostname}: rebound only sends probe and load traffic to loopback`, {
      hint: 'publish the service on 127.0.0.1 (docker -p 127.0.0.1:PORT:..., a NodePort mapped to loopback, or kubectl port-forward)',
    });
  }
  return parsed;
}
