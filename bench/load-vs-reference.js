// Load generator rate vs autocannon and wrk against the same demo container, same duration and
// connections, measured in one run. Also: a 2000/s spike held per second within ±5 %.
//
// Order matters on a shared 2-core machine: the container has just started (Go runtime and
// docker-proxy cold) and background load drifts during the run, so whichever tool goes first is
// measured against a different target than the next. Both tools therefore warm up for 1 s
// (unmeasured), then run SECONDS each in the order rebound, autocannon, autocannon, rebound (ABBA:
// a linear drift cancels out), and each tool's rate is its mean over its two runs.
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { LoadGenerator } from '../dist/probes/load-generator.js';
import { Timeline } from '../dist/timeline/timeline.js';
import { systemClock } from '../dist/common/clock.js';
import { startDemo, writeResult } from './support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

async function rebound(url, spec) {
  const timeline = new Timeline(systemClock());
  const generator = new LoadGenerator(url, spec, timeline).start();
  await new Promise((resolve) => setTimeout(resolve, spec.duration + 200));
  await generator.stop();
  return timeline.entries.filter((entry) => entry.kind === 'load-bucket');
}

const demo = await startDemo();
try {
  // rebound at a rate above what the target can answer: whatever it achieves is its throughput.
  const reboundRun = async (seconds) => {
    const buckets = await rebound(demo.url, { profile: 'constant', rate: 100_000, duration: seconds * 1000, connections: CONNECTIONS, timeout: 2000 });
    return buckets.reduce((sum, bucket) => sum + bucket.data.ok, 0) / seconds;
  };
  const autocannonRun = async (seconds) => (await autocannon({ url: demo.url, connections: CONNECTIONS, duration: seconds })).requests.total / seconds;
  await reboundRun(1);
  await autocannonRun(1);
  const reboundRuns = [await reboundRun(SECONDS)];
  const autocannonRuns = [await autocannonRun(SECONDS), await autocannonRun(SECONDS)];
  reboundRuns.push(await reboundRun(SECONDS));
  const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const reboundRate = mean(reboundRuns);
  const autocannonRate = mean(autocannonRuns);
  let wrkRate = null;
  try {
    const output = execFileSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, demo.url], { encoding: 'utf8' });
    wrkRate = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  } catch {
    wrkRate = null; // wrk not installed (apt-get install wrk)
  }
  const spikeBuckets = await rebound(demo.url, { profile: 'spike', rate: 50, peak: 2000, at: 3000, hold: 10_000, duration: 16_000, connections: 200, timeout: 2000 });
  const perSecond = [];
  for (let second = 4; second < 13; second++) {
    const inSecond = spikeBuckets.filter((bucket) => bucket.t - spikeBuckets[0].t >= second * 1000 && bucket.t - spikeBuckets[0].t < (second + 1) * 1000);
    perSecond.push(inSecond.reduce((sum, bucket) => sum + bucket.data.sent, 0));
  }
  const worstDeviation = Math.max(...perSecond.map((count) => Math.abs(count - 2000) / 2000));
  const result = {
    seconds: SECONDS,
    connections: CONNECTIONS,
    order: 'warm-up 1 s each, then rebound, autocannon, autocannon, rebound',
    reboundRuns,
    autocannonRuns,
    reboundRate,
    autocannonRate,
    wrkRate,
    ratioToAutocannon: reboundRate / autocannonRate,
    ratioToWrk: wrkRate ? reboundRate / wrkRate : null,
    spikePerSecond: perSecond,
    spikeWorstDeviation: worstDeviation,
  };
  writeResult('load-vs-reference', result);
  console.log(`load generator: rebound ${reboundRate.toFixed(0)} req/s (${reboundRuns.map((rate) => rate.toFixed(0)).join(', ')}), autocannon ${autocannonRate.toFixed(0)} req/s (${autocannonRuns.map((rate) => rate.toFixed(0)).join(', ')}) (ratio ${result.ratioToAutocannon.toFixed(2)}), wrk ${wrkRate?.toFixed(0) ?? 'n/a'} req/s (ratio ${result.ratioToWrk?.toFixed(2) ?? 'n/a'})`);
  console.log(`spike 2000/s held per second: ${perSecond.join(', ')} (worst deviation ${(worstDeviation * 100).toFixed(1)} %)`);
} finally {
  await demo.remove();
}
