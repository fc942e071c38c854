#!/usr/bin/env node
// How long a network fault takes from "apply" to its rule being in effect (the iptables command in
// the target's namespace has returned), median and p95 of 20, for each way rebound can get there:
//   Docker  helper container started for the fault (docker create + attach + start, the driver applies)
//           an armed helper, started ahead, fired with SIGUSR1 (one API call)
//           docker exec of iptables in an already running helper container in the namespace
//           nsenter -t <pid> -n iptables from the host (the floor: no engine call at all)
//   kind    node helper: one docker exec (mounts the tools if needed, writes the unit file, systemd-run;
//           the unit's ExecStartPost waits for the driver's "applied")
//           an armed node unit fired (systemctl kill -s USR1, one docker exec)
//           docker exec <node> nsenter --net=<pod netns> iptables (no unit, no dead man's switch)
// Target (issue 12): ≤ 150 ms from the scheduled instant. Every sample's rule is removed before the next.
//
//   npm run build && eval "$(bash scripts/kind-cluster.sh env)" && node bench/fault-apply-latency.js [--samples 20]
// Writes bench/results/fault-apply-latency.json. Without a kind cluster the kind half is skipped.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import { runHelperCommand, startHelperContainer } from '../dist/targets/docker/fault-helpers.js';
import { iptablesChain } from '../dist/targets/fault-tools/index.js';
import { KindNodes, podNamespaces, startNodeHelper } from '../dist/targets/kubernetes/kind/index.js';
import { docker, median, startDemo, writeResult } from './support.js';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '20' } } });
const SAMPLES = Math.min(100, Math.max(3, Number(args.samples)));
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];
const summary = (values) => ({ medianMs: Number(median(values).toFixed(1)), p95Ms: Number(p95(values).toFixed(1)), minMs: Number(Math.min(...values).toFixed(1)), samples: values.length });
const chain = (id) => iptablesChain({ id, from: ['INPUT'], rules: [['-p', 'tcp', '--dport', '8080', '-j', 'DROP']] });
const results = {};

async function timed(what, sample) {
  const times = [];
  for (let index = 0; index < SAMPLES; index++) times.push(await sample(index));
  results[what] = summary(times);
  console.log(`${what.padEnd(44)} median ${results[what].medianMs.toFixed(1)} ms  p95 ${results[what].p95Ms.toFixed(1)} ms  min ${results[what].minMs.toFixed(1)} ms`);
}

// --- Docker ---
const demo = await startDemo();
try {
  const id = (await demo.container.inspect()).Id;
  const pid = (await demo.container.inspect()).State.Pid;
  await timed('docker: helper container started for it', async (index) => {
    const start = performance.now();
    const helper = await startHelperContainer(docker, { target: id, join: { network: true }, script: chain(`bcold${index}`), timing: { durationMs: 60_000 } });
    const took = performance.now() - start;
    await helper.stop();
    return took;
  });
  await timed('docker: armed helper fired (SIGUSR1)', async (index) => {
    const helper = await startHelperContainer(docker, { target: id, join: { network: true }, script: chain(`barm${index}`), timing: { durationMs: 60_000, armMs: 60_000 } });
    const start = performance.now();
    await helper.fire();
    const took = performance.now() - start;
    await helper.stop();
    return took;
  });
  // A running container in the namespace to exec into (what `docker exec` costs on its own).
  const sidecar = await docker.createContainer({ Image: 'rebound/fault-tools:v1', Cmd: ['sleep', '600'], Labels: { 'rebound.dev/bench': '1' }, HostConfig: { AutoRemove: true, NetworkMode: `container:${id}`, CapAdd: ['NET_ADMIN'] } });
  await sidecar.start();
  try {
    const exec = async (cmd) => {
      const execution = await sidecar.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
      const stream = await execution.start({});
      await new Promise((resolve) => { stream.on('end', resolve); stream.resume(); });
      return (await execution.inspect()).ExitCode;
    };
    await timed('docker: docker exec iptables in a helper', async (index) => {
      const start = performance.now();
      const code = await exec(['bash', '-c', chain(`bexec${index}`).apply]);
      const took = performance.now() - start;
      if (code !== 0) throw new Error(`docker exec apply exited ${code}`);
      await exec(['bash', '-c', chain(`bexec${index}`).remove]);
      return took;
    });
  } finally {
    await sidecar.stop({ t: 0 }).catch(() => undefined); // AutoRemove removes it
  }
  await timed('docker: nsenter -n iptables from the host', async (index) => {
    const start = performance.now();
    await execa('nsenter', ['-t', String(pid), '-n', 'bash', '-c', chain(`bnse${index}`).apply]);
    const took = performance.now() - start;
    await execa('nsenter', ['-t', String(pid), '-n', 'bash', '-c', chain(`bnse${index}`).remove]);
    return took;
  });
  const left = await runHelperCommand(docker, { target: id, join: { network: true }, command: ['bash', '-c', 'iptables-nft-save | grep -c REBOUND- || true'] });
  if (left.stdout.trim() !== '0') throw new Error(`rules left in the bench container: ${left.stdout}`);
} finally {
  await demo.remove();
}

// --- kind ---
const kubeconfig = process.env.REBOUND_KUBECONFIG;
const context = process.env.REBOUND_KUBE_CONTEXT;
if (!kubeconfig || !context) {
  results.kind = { skipped: 'REBOUND_KUBECONFIG / REBOUND_KUBE_CONTEXT are not set: bash scripts/kind-cluster.sh up, then eval "$(bash scripts/kind-cluster.sh env)"' };
  console.log(`kind half skipped: ${results.kind.skipped}`);
} else {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  config.setCurrentContext(context);
  const core = config.makeApiClient(CoreV1Api);
  const namespace = `rebound-bench-${randomBytes(4).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'rebound.dev/test': 'kubernetes-target' } } } });
  try {
    const nodes = (await core.listNode()).items.filter((node) => !('node-role.kubernetes.io/control-plane' in (node.metadata?.labels ?? {})));
    const nodeName = nodes[0].metadata.name;
    await core.createNamespacedPod({ namespace, body: { metadata: { name: 'bench' }, spec: { nodeName, terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'rebound/demo-app:v1', imagePullPolicy: 'Never' }] } } });
    let containerId;
    for (let i = 0; i < 240 && !containerId; i++) {
      const pod = await core.readNamespacedPod({ name: 'bench', namespace });
      if (pod.status?.containerStatuses?.[0]?.state?.running) containerId = pod.status.containerStatuses[0].containerID;
      else await new Promise((r) => setTimeout(r, 250));
    }
    if (!containerId) throw new Error('the bench pod did not start within 60 s');
    const kindNodes = new KindNodes();
    const node = await kindNodes.require(nodeName, 'the apply-latency bench');
    const { netns } = await podNamespaces(kindNodes, node, containerId);
    await timed('kind: node helper unit (systemd-run)', async (index) => {
      const start = performance.now();
      const helper = await startNodeHelper(kindNodes, { node, netns, script: chain(`kunit${index}`), timing: { durationMs: 60_000 } });
      const took = performance.now() - start;
      await helper.stop();
      return took;
    });
    await timed('kind: armed node unit fired', async (index) => {
      const helper = await startNodeHelper(kindNodes, { node, netns, script: chain(`karm${index}`), timing: { durationMs: 60_000, armMs: 60_000 } });
      const start = performance.now();
      await helper.fire();
      const took = performance.now() - start;
      await helper.stop();
      return took;
    });
    await timed('kind: docker exec node nsenter iptables', async (index) => {
      const start = performance.now();
      await kindNodes.exec(node, ['nsenter', `--net=${netns}`, 'bash', '-c', chain(`knse${index}`).apply]);
      const took = performance.now() - start;
      await kindNodes.exec(node, ['nsenter', `--net=${netns}`, 'bash', '-c', chain(`knse${index}`).remove]);
      return took;
    });
  } finally {
    await core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 });
  }
}

writeResult('fault-apply-latency', { bench: 'fault-apply-latency', samples: SAMPLES, results, load: (await import('node:os')).loadavg() });
