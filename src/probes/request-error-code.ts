// The short code a failed request is recorded and counted under: ECONNREFUSED, ECONNRESET,
// timeout, ... Undici reports its own timeouts as UND_ERR_*_TIMEOUT and an AbortSignal deadline as
// TimeoutError / AbortError; all of them mean "not answered in time".
export function requestErrorCode(error: unknown): string {
  const value = error as { name?: string; code?: string; cause?: { code?: string } } | null | undefined;
  if (value?.name === 'TimeoutError' || value?.name === 'AbortError') return 'timeout';
  if (value?.code === 'UND_ERR_HEADERS_TIMEOUT' || value?.code === 'UND_ERR_BODY_TIMEOUT' || value?.code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  return value?.code ?? value?.cause?.code ?? value?.name ?? 'error';
}
