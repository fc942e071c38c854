import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { Log } from '@kubernetes/client-node';
import type { KubeApi } from '../kube-api.js';
import { apiMessage } from '../kube-errors.js';

/** A pod's log, line by line, as it is written (follow) or as it is now. */
export interface PodLogRead {
  /** Resolves when the log ended (the container exited, or the stream was cut) or stop() was called; never rejects. */
  readonly ended: Promise<{ error?: string }>;
  stop(): void;
}

/**
 * Reads one container's log through the API (GET …/pods/<pod>/log?follow=true). client-node's
 * Log pipes the response into a stream; each complete line goes to `onLine`. A follow can end
 * before the container does (the API server or kubelet closes it, a known client-node caveat in
 * log.js): the caller reads again and drops lines it already has.
 */
export function readPodLog(api: KubeApi, namespace: string, pod: string, container: string, follow: boolean, onLine: (line: string) => void): PodLogRead {
  const stream = new PassThrough();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  let controller: AbortController | undefined;
  let finish: (result: { error?: string }) => void = () => undefined;
  const ended = new Promise<{ error?: string }>((resolve) => (finish = resolve));
  lines.once('close', () => finish({}));
  stream.once('error', (error) => finish({ error: error.message }));
  new Log(api.config)
    .log(namespace, pod, container, stream, { follow, pretty: false, timestamps: false })
    .then((abort) => {
      controller = abort;
    })
    .catch((error: unknown) => {
      stream.end();
      finish({ error: apiMessage(error) });
    });
  return {
    ended,
    stop: () => {
      controller?.abort();
      stream.end();
      finish({});
    },
  };
}
