// `rebound --help` start time: median of 10 runs (target <= 400 ms).
import { execFileSync } from 'node:child_process';
import { median, writeResult } from './support.js';

const runs = [];
for (let i = 0; i < 10; i++) {
  const started = performance.now();
  execFileSync(process.execPath, [new URL('../bin/rebound.js', import.meta.url).pathname, '--help'], { stdio: 'ignore' });
  runs.push(performance.now() - started);
}
writeResult('help-start', { runs, medianMs: median(runs) });
console.log(`rebound --help: median ${median(runs).toFixed(0)} ms over 10 runs`);
