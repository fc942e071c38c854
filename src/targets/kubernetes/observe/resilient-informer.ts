import { type KubeConfig, type KubernetesListObject, type KubernetesObject, makeInformer } from '@kubernetes/client-node';
import { errorMessage } from '../../../common/errors.js';
import { apiMessage } from '../kube-errors.js';

export interface InformerHandlers<T extends KubernetesObject> {
  add(object: T): void;
  update(object: T): void;
  delete(object: T): void;
  /** A watch failed and will be restarted: for a timeline note. Never throws. */
  trouble(message: string): void;
}

export interface ResilientInformer<T extends KubernetesObject> {
  /** The cached objects (list + watch), as of now. */
  list(): readonly T[];
  stop(): Promise<void>;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/**
 * client-node's informer (list, then watch from the list's resourceVersion; it reconnects by itself
 * after the 30 s idle timeout and relists after 410 Gone). Any other error ends its watch for good
 * (cache.js doneHandler calls the error callbacks and returns), so rebound restarts it with
 * backoff until stopped. Handler exceptions are caught here: an observer never breaks a run.
 */
export async function startInformer<T extends KubernetesObject>(
  name: string,
  config: KubeConfig,
  path: string,
  listFn: () => Promise<KubernetesListObject<T>>,
  handlers: InformerHandlers<T>,
  labelSelector?: string,
): Promise<ResilientInformer<T>> {
  const informer = makeInformer<T>(config, path, listFn, labelSelector);
  let stopped = false;
  let retryMs = FIRST_RETRY_MS;
  let retryTimer: NodeJS.Timeout | undefined;
  const guarded = (what: string, handler: (object: T) => void) => (object: T) => {
    try {
      handler(object);
    } catch (error) {
      handlers.trouble(`${name} ${what} handler failed: ${errorMessage(error)}`);
    }
  };
  informer.on('add', guarded('add', handlers.add));
  informer.on('update', guarded('update', (object) => {
    retryMs = FIRST_RETRY_MS;
    handlers.update(object);
  }));
  informer.on('delete', guarded('delete', handlers.delete));
  informer.on('error', (error?: unknown) => {
    if (stopped) return;
    handlers.trouble(`${name} watch failed (${apiMessage(error)}); restarting it in ${retryMs} ms`);
    retryTimer = setTimeout(() => {
      if (!stopped) informer.start().catch((restartError: unknown) => handlers.trouble(`${name} watch restart failed: ${errorMessage(restartError)}`));
    }, retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  });
  await informer.start();
  return {
    list: () => informer.list(),
    stop: async () => {
      stopped = true;
      clearTimeout(retryTimer);
      await informer.stop();
    },
  };
}
