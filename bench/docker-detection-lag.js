// Detection lag of Docker die/start events: rebound's receipt vs the engine's timeNano, over 20
// crashes of a restart: always container. Target: median <= 50 ms.
import { createDockerTarget } from '../dist/targets/docker/index.js';
import { Timeline } from '../dist/timeline/timeline.js';
import { systemClock } from '../dist/common/clock.js';
import { detectionLag } from '../dist/assertions/detection-lag.js';
import { docker, median, startDemo, writeResult } from './support.js';

const CRASHES = Number(process.env.BENCH_CRASHES ?? 20);
const demo = await startDemo('always');
const target = createDockerTarget();
const clock = systemClock();
const timeline = new Timeline(clock);
timeline.add({ t: 0, source: 'runner', kind: 'run-started', data: { wallClockAtZero: clock.wallClockAtZero, experiment: 'bench', target: 'docker', iteration: 1 } });
const name = (await demo.container.inspect()).Name.replace(/^\//, '');
const selector = { labels: { 'rebound.dev/bench': '1' }, name };
const observation = await target.observe(selector, timeline, { desired: 1 });
const restarts = [];
try {
  for (let crash = 0; crash < CRASHES; crash++) {
    // Docker doubles the restart delay after each crash unless the container ran 10 s: wait so
    // every crash restarts at the base delay.
    for (let i = 0; i < 300; i++) {
      const state = (await docker.getContainer(name).inspect()).State;
      if (state.Running && Date.now() - Date.parse(state.StartedAt) > 10_500) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const handle = await target.inject({ index: 0, repetition: crash, name: 'crash', params: {}, subjects: [name] }, selector, timeline);
    const before = timeline.entries.length;
    for (let i = 0; i < 100; i++) {
      const state = (await docker.getContainer(name).inspect()).State;
      if (state.Running && timeline.entries.slice(before).some((e) => e.kind === 'instance-event' && e.data.action === 'start')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await handle.rollback();
    await new Promise((r) => setTimeout(r, 300));
  }
} finally {
  await observation.stop();
  await demo.remove();
}
const events = timeline.entries.filter((entry) => entry.kind === 'instance-event' && entry.subject === name);
for (let i = 0; i < events.length; i++) {
  if (events[i].data.action === 'die') {
    const start = events.slice(i).find((entry) => entry.data.action === 'start');
    if (start) restarts.push(start.engineTime - events[i].engineTime);
  }
}
const lags = detectionLag(timeline.entries).filter((lag) => ['die', 'start'].includes(lag.action));
writeResult('docker-detection-lag', { crashes: CRASHES, lags, restartMedianMs: median(restarts) });
for (const lag of lags) console.log(`detection lag ${lag.action}: median ${lag.medianMs.toFixed(1)} ms, p95 ${lag.p95Ms.toFixed(1)} ms, max ${lag.maxMs.toFixed(1)} ms (${lag.samples} events)`);
console.log(`die → start (engine timestamps, restart: always): median ${median(restarts).toFixed(0)} ms over ${restarts.length} crashes`);
