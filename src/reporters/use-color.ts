/**
 * Whether to colour output bound for a stream: NO_COLOR (https://no-color.org, any non-empty value)
 * wins, then FORCE_COLOR ("0"/"false" off, anything else on), then whether the stream is a terminal.
 */
export function useColor(isTerminal: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTerminal;
}
