/** An action that runs once: later calls return the first call's promise (rollbacks are safe to call twice). */
export function once<T>(action: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= action());
}
