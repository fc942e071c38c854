// The driver (scripts/kind/fault-tools/rebound-fault) prints one line per event on stdout:
// "rebound-fault armed | applied | removed | expired | failed: <why>". Everything else on its
// output (the tools' own messages) is kept as context for an error.
export type DriverEvent =
  | { event: 'armed' | 'applied' | 'removed' | 'expired' }
  | { event: 'failed'; reason: string };

const PREFIX = 'rebound-fault ';

export function parseDriverLine(line: string): DriverEvent | undefined {
  const text = line.trim();
  if (!text.startsWith(PREFIX)) return undefined;
  const rest = text.slice(PREFIX.length);
  if (rest === 'armed' || rest === 'applied' || rest === 'removed' || rest === 'expired') return { event: rest };
  if (rest.startsWith('failed:')) return { event: 'failed', reason: rest.slice('failed:'.length).trim() };
  return undefined;
}

/** Splits a stream's chunks into whole lines (the last partial line waits for the next chunk). */
export function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
}
