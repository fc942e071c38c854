import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iptablesChain, joinCgroupsScript, raiseOomScoreScript, shellCommand, toxiproxyRedirect } from '../../../src/targets/fault-tools/index.js';
import { KindNodes, nodeLeftoverList, nodeLeftovers, podNamespaces, startNodeHelper } from '../../../src/targets/kubernetes/kind/index.js';
import { curlFromNode, ensureFaultToolsLoaded, type HelperPod, helperPodNamespace, nodeWatchUntilGone, readHelperPod, startHelperPod } from './support/helper-pods.js';
import { kindClusterWanted, waitFor } from './support/kind-cluster.js';
import { useSharedCluster } from './support/use-shared-cluster.js';

// The helpers under the network and resource faults on the kind cluster: a transient systemd unit
// in the pod's node runs the driver in the pod's network namespace (nsenter) and the stress in the
// pod container's cgroups. It outlives rebound; systemd removes the fault even if the driver dies.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER = 'rebound-worker';
const enabled = kindClusterWanted('the kind node-helper tests');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

describe.runIf(enabled)('kind node helpers: network and resource mechanisms in a pod\'s namespaces', () => {
  const cluster = useSharedCluster();
  const kindNodes = new KindNodes();
  let space: Awaited<ReturnType<typeof helperPodNamespace>>;
  const netnsTouched = new Set<string>();

  beforeAll(async () => {
    await ensureFaultToolsLoaded(process.env.REBOUND_KIND_CLUSTER ?? 'rebound');
    space = await helperPodNamespace(cluster.clients);
  });

  afterAll(async () => {
    try {
      const node = await kindNodes.require(WORKER, 'the helper tests');
      const left = nodeLeftoverList(await nodeLeftovers(kindNodes, node, [...netnsTouched]));
      expect(left).toEqual([]);
    } finally {
      await space?.remove();
    }
  });

  const pod = async (options: Parameters<typeof startHelperPod>[3] = {}): Promise<HelperPod & { netns: string; pid: number }> => {
    const started = await startHelperPod(cluster.clients, space.namespace, WORKER, options);
    const namespaces = await podNamespaces(kindNodes, started.node, started.containerId);
    netnsTouched.add(namespaces.netns);
    return { ...started, netns: namespaces.netns, pid: namespaces.pid };
  };

  it('applies in the pod\'s network namespace through a transient unit, removes at the deadline, and leaves kube-proxy\'s rules alone', async () => {
    const target = await pod();
    const { node } = target;
    const kubeChains = async () => (await kindNodes.execScript(node, "iptables-save | grep -c '^:KUBE-'")).stdout.trim();
    const podRules = async () => (await kindNodes.execScript(node, `nsenter --net=${target.netns} iptables-nft-save`)).stdout;
    const kubeBefore = await kubeChains();
    expect(await podRules()).toBe(''); // kube-proxy and the CNI program the node's namespace, never the pod's
    const started = performance.now();
    const helper = await startNodeHelper(kindNodes, {
      node,
      netns: target.netns,
      script: iptablesChain({ id: 'kpart1', from: ['INPUT'], rules: [['-p', 'tcp', '--dport', '8080', '-j', 'REJECT', '--reject-with', 'tcp-reset']], exemptLoopback: true }),
      timing: { durationMs: 3000 },
    });
    const appliedAt = performance.now();
    console.log(`node helper: docker exec + systemd-run → applied in ${(appliedAt - started).toFixed(0)} ms (first in this process: includes mounting the tools)`);
    expect(await curlFromNode(kindNodes, node, `http://${target.ip}:8080/`, 1)).toEqual([undefined]);
    expect(await podRules()).toContain('-A INPUT -j REBOUND-kpart1');
    expect(await kubeChains()).toBe(kubeBefore);
    const gone = await nodeWatchUntilGone(kindNodes, node, target.netns, 'REBOUND-kpart1', 15);
    const lateMs = gone - (Date.now() - (performance.now() - appliedAt)) - 3000;
    console.log(`node helper: chain gone ${lateMs.toFixed(0)} ms after the deadline; unit ${JSON.stringify(await helper.state())}; journal: ${(await helper.journal()).filter((line) => line.startsWith('rebound-fault')).join(' | ')}`);
    expect(lateMs).toBeLessThan(1000);
    expect((await curlFromNode(kindNodes, node, `http://${target.ip}:8080/`, 1))[0]).toBeTypeOf('number');
    expect(await kubeChains()).toBe(kubeBefore);
    expect((await helper.state()).active).toBe('gone');
  });

  it('outlives a kill -9 of rebound, and a SIGKILL of the driver itself (ExecStopPost removes)', async () => {
    const target = await pod();
    const dir = mkdtempSync(join(tmpdir(), 'rebound-node-helper-kill-'));
    try {
      const script = join(dir, 'start.mjs');
      writeFileSync(
        script,
        `import { KindNodes, startNodeHelper } from ${JSON.stringify(join(ROOT, 'dist/targets/kubernetes/kind/index.js'))};
import { iptablesChain } from ${JSON.stringify(join(ROOT, 'dist/targets/fault-tools/index.js'))};
const kindNodes = new KindNodes();
const node = await kindNodes.require(${JSON.stringify(WORKER)}, 'test');
await startNodeHelper(kindNodes, { node, netns: ${JSON.stringify(target.netns)}, timing: { durationMs: 4000 },
  script: iptablesChain({ id: 'kkill9', from: ['INPUT'], rules: [['-p', 'tcp', '--dport', '8080', '-j', 'DROP']] }) });
console.log('applied ' + Date.now());
setInterval(() => {}, 1000);
`,
      );
      const child = execa(process.execPath, [script], { cwd: ROOT, reject: false });
      const appliedEpoch = await new Promise<number>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          const match = /applied (\d+)/.exec(chunk.toString());
          if (match) resolve(Number(match[1]));
        });
        void child.then((result) => reject(new Error(`the child exited before applying: ${String(result.stderr)}`)));
      });
      child.kill('SIGKILL');
      await child;
      const lateMs = (await nodeWatchUntilGone(kindNodes, target.node, target.netns, 'REBOUND-kkill9', 20)) - appliedEpoch - 4000;
      console.log(`node helper after kill -9 of its starter: chain gone ${lateMs} ms after the deadline`);
      expect(lateMs).toBeLessThan(1000);
      expect(lateMs).toBeGreaterThan(-300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const helper = await startNodeHelper(kindNodes, { node: target.node, netns: target.netns, script: iptablesChain({ id: 'kdriver9', from: ['INPUT'], rules: [['-p', 'tcp', '--dport', '8080', '-j', 'DROP']] }), timing: { durationMs: 60_000 } });
    const killedAt = Date.now();
    await kindNodes.execScript(target.node, `systemctl kill --kill-who=main -s KILL ${helper.unit}`);
    const afterKillMs = (await nodeWatchUntilGone(kindNodes, target.node, target.netns, 'REBOUND-kdriver9', 20)) - killedAt;
    console.log(`SIGKILL of the driver: ExecStopPost removed the chain ${afterKillMs} ms later; unit ${JSON.stringify(await helper.state())}`);
    expect(afterKillMs).toBeLessThan(1000);
  });

  it('stops early (systemctl stop), safely twice; armed units apply on fire()', async () => {
    const target = await pod();
    const helper = await startNodeHelper(kindNodes, {
      node: target.node,
      netns: target.netns,
      script: iptablesChain({ id: 'karm1', from: ['INPUT'], rules: [['-p', 'tcp', '--dport', '8080', '-j', 'REJECT', '--reject-with', 'tcp-reset']] }),
      timing: { durationMs: 60_000, armMs: 30_000 },
    });
    expect((await curlFromNode(kindNodes, target.node, `http://${target.ip}:8080/`, 1))[0]).toBeTypeOf('number');
    const fireStart = performance.now();
    await helper.fire();
    console.log(`armed node unit: SIGUSR1 → applied in ${(performance.now() - fireStart).toFixed(0)} ms (one docker exec)`);
    expect(await curlFromNode(kindNodes, target.node, `http://${target.ip}:8080/`, 1)).toEqual([undefined]);
    const stopStart = performance.now();
    const [first, second] = await Promise.all([helper.stop(), helper.stop()]);
    console.log(`systemctl stop: removed and gone in ${(performance.now() - stopStart).toFixed(0)} ms`);
    expect(first).toEqual({ active: 'gone' });
    expect(second).toBe(first);
    expect((await curlFromNode(kindNodes, target.node, `http://${target.ip}:8080/`, 1))[0]).toBeTypeOf('number');
  });

  it('delays new connections through Toxiproxy (from the image, run from the node) in the pod\'s namespace', async () => {
    const target = await pod();
    const url = `http://${target.ip}:8080/`;
    const baseline = median((await curlFromNode(kindNodes, target.node, url, 15)) as number[]);
    const helper = await startNodeHelper(kindNodes, {
      node: target.node,
      netns: target.netns,
      script: toxiproxyRedirect({ id: 'ktox1', port: 8080, proxyPort: 17262, apiPort: 17263, toxics: [{ type: 'latency', attributes: { latency: 100, jitter: 0 } }] }),
      timing: { durationMs: 60_000 },
    });
    const during = await curlFromNode(kindNodes, target.node, url, 15);
    await helper.stop();
    const after = median((await curlFromNode(kindNodes, target.node, url, 15)) as number[]);
    const delayed = median(during as number[]);
    console.log(`curl from the node, new connections: baseline ${baseline.toFixed(1)} ms, latency 100 ms → ${delayed.toFixed(1)} ms (+${(delayed - baseline).toFixed(1)}), after ${after.toFixed(1)} ms`);
    expect(during.every((value) => value !== undefined)).toBe(true);
    expect(delayed - baseline).toBeGreaterThan(90);
    expect(delayed - baseline).toBeLessThan(150);
    expect(after).toBeLessThan(baseline + 20);
  });

  it('cpu stress joined to the pod container\'s cgroups is held to its 200m limit', async () => {
    const target = await pod({ cpu: '200m' });
    const cgroupOf = async (controller: string) => {
      const line = (await kindNodes.execScript(target.node, `cat /proc/${target.pid}/cgroup`)).stdout.split('\n').find((entry) => entry.split(':')[1] === controller);
      return `/sys/fs/cgroup/${controller}${line!.split(':')[2]}`;
    };
    const cpuacct = await cgroupOf('cpuacct');
    const cpu = await cgroupOf('cpu');
    const read = async () => {
      const out = (await kindNodes.execScript(target.node, `cat ${cpuacct}/cpuacct.usage; grep nr_throttled ${cpu}/cpu.stat; date +%s%N`)).stdout.trim().split('\n');
      return { usage: Number(out[0]), throttled: Number(out[1]!.split(' ')[1]), ns: Number(out[2]) };
    };
    const helper = await startNodeHelper(kindNodes, {
      node: target.node,
      script: { apply: 'true', remove: 'true', serve: { command: shellCommand(['bash', '-c', `${joinCgroupsScript(target.pid)}\nexec stress-ng --cpu 2 --cpu-load 100`]), ready: 'pgrep -f stress-ng-cpu >/dev/null' } },
      timing: { durationMs: 60_000 },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const a = await read();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const b = await read();
    const cores = (b.usage - a.usage) / (b.ns - a.ns);
    const inCgroup = (await kindNodes.execScript(target.node, `cat ${cpu}/cgroup.procs | wc -l`)).stdout.trim();
    await helper.stop();
    const leftAfter = (await kindNodes.execScript(target.node, `cat ${cpu}/cgroup.procs`)).stdout.trim().split('\n');
    console.log(`stress-ng --cpu 2 in a 200m pod container: ${cores.toFixed(3)} cores, nr_throttled +${b.throttled - a.throttled}; processes in its cpu cgroup during ${inCgroup}, after stop ${leftAfter.length}`);
    expect(cores).toBeGreaterThan(0.15);
    expect(cores).toBeLessThan(0.23);
    expect(b.throttled - a.throttled).toBeGreaterThan(10);
    expect(leftAfter).toEqual([String(target.pid)]);
  });

  it('oom: the container\'s main process (oom_score_adj raised to 1000) is OOM-killed → OOMKilled, restartCount + 1', async () => {
    const target = await pod({ memory: '64Mi' });
    const original = Number((await kindNodes.execScript(target.node, `cat /proc/${target.pid}/oom_score_adj`)).stdout.trim());
    const raise = raiseOomScoreScript(target.pid, original);
    expect((await kindNodes.execScript(target.node, `${raise.apply} && cat /proc/${target.pid}/oom_score_adj`)).stdout.trim()).toBe('1000');
    const restore = await kindNodes.execScript(target.node, `${raise.remove}; cat /proc/${target.pid}/oom_score_adj`);
    console.log(`oom_score_adj of a Guaranteed pod's process: ${original}; raised to 1000; writing ${original} back: ${restore.stdout.trim()} ${restore.stderr.trim()}`);
    await kindNodes.execScript(target.node, raise.apply);
    const started = Date.now();
    const push = await startNodeHelper(kindNodes, {
      node: target.node,
      script: { apply: 'true', remove: 'true', serve: { command: shellCommand(['bash', '-c', `${joinCgroupsScript(target.pid)}\nexec dd if=/dev/zero of=/dev/null bs=128M count=1`]), ready: 'true' } },
      timing: { durationMs: 30_000 },
    });
    const restarted = await waitFor('the pod container restarted after its OOM kill', 60_000, async () => {
      const current = await readHelperPod(cluster.clients, target);
      const status = current.status?.containerStatuses?.[0];
      return status && status.restartCount > target.restartCount ? status : undefined;
    });
    const terminated = restarted.lastState?.terminated;
    console.log(`oom on kind: lastState.terminated ${JSON.stringify({ reason: terminated?.reason, exitCode: terminated?.exitCode })}, restartCount ${target.restartCount} → ${restarted.restartCount}, ${Date.now() - started} ms after the push; push unit ${JSON.stringify(await push.state())}`);
    expect(terminated?.reason).toBe('OOMKilled');
    expect(terminated?.exitCode).toBe(137);
    expect(restarted.restartCount).toBe(target.restartCount + 1);
    await push.stop();
  });

  it('in-place resize (pods/resize) changes the container\'s cgroup limits and restores them', async () => {
    const target = await pod({ cpu: '200m', memory: '64Mi' });
    const patch = (cpu: string, memory: string) =>
      cluster.clients.core.patchNamespacedPodResize(
        { name: target.name, namespace: target.namespace, body: { spec: { containers: [{ name: 'app', resources: { requests: { cpu, memory }, limits: { cpu, memory } } }] } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
    const quota = async () => {
      const pid = (await podNamespaces(kindNodes, target.node, (await readHelperPod(cluster.clients, target)).status!.containerStatuses![0]!.containerID!)).pid;
      const line = (await kindNodes.execScript(target.node, `grep ':cpu:' /proc/${pid}/cgroup`)).stdout.trim().split(':')[2];
      const memoryLine = (await kindNodes.execScript(target.node, `grep ':memory:' /proc/${pid}/cgroup`)).stdout.trim().split(':')[2];
      return (await kindNodes.execScript(target.node, `cat /sys/fs/cgroup/cpu${line}/cpu.cfs_quota_us /sys/fs/cgroup/memory${memoryLine}/memory.limit_in_bytes`)).stdout.trim().split('\n').map(Number);
    };
    const before = await quota();
    const started = performance.now();
    await patch('100m', '48Mi');
    const squeezed = await waitFor('the resize reaching the cgroup', 60_000, async () => {
      const now = await quota();
      return now[0] === 10_000 && now[1] === 48 * 1024 * 1024 ? now : undefined;
    });
    const took = performance.now() - started;
    await patch('200m', '64Mi');
    const restored = await waitFor('the limits restored', 60_000, async () => {
      const now = await quota();
      return now[0] === before[0] && now[1] === before[1] ? now : undefined;
    });
    const spec = (await readHelperPod(cluster.clients, target)).spec!.containers[0]!.resources;
    console.log(`pods/resize on this cluster: cfs_quota/memory.limit ${before.join('/')} → ${squeezed.join('/')} in ${took.toFixed(0)} ms → back to ${restored.join('/')}; restartCount ${(await readHelperPod(cluster.clients, target)).status?.containerStatuses?.[0]?.restartCount}`);
    expect(spec).toEqual({ requests: { cpu: '200m', memory: '64Mi' }, limits: { cpu: '200m', memory: '64Mi' } });
  });
});
