import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerAvailable } from './support/engines.js';
import { REBOUND_BIN, rebound, scratchDirectory } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// What a new user may hand the built CLI: binary junk, absurd nesting, folders, and paths that
// cannot be read. Each is a usage error (exit 2) with a location or the path and what to do, on a
// few hundred bytes of stderr a terminal can show as it is; never a stack trace.
const scratch = scratchDirectory();
chmodSync(scratch, 0o755); // the unprivileged run below must reach the files in it
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const demo = useDemoContainers();
const dockerUp = await dockerAvailable();

// Every C0 character but the line break, DEL and C1: what must never reach a terminal raw.
const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;
const NOT_INTERNAL = /internal error|\n\s+at /;

/** 64 KiB from a seeded generator (mulberry32): the same bytes on every run of a seed. */
function randomBytesOf(seed: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let index = 0; index < size; index++) {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    bytes[index] = ((mixed ^ (mixed >>> 14)) >>> 0) & 0xff;
  }
  return bytes;
}

/** Runs the CLI with a preload that writes the process's peak resident memory (KiB) to a file at exit. */
async function reboundMeasured(args: string[]) {
  const rssFile = join(scratch, `rss-${process.hrtime.bigint()}`);
  const preload = join(scratch, 'report-max-rss.mjs');
  writeFileSync(preload, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.REBOUND_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
  const started = performance.now();
  const result = await rebound(args, { env: { NODE_OPTIONS: `--import=${preload}`, REBOUND_TEST_RSS_FILE: rssFile } });
  return { result, ms: performance.now() - started, maxRssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

describe('rebound validate on hostile input (built CLI)', () => {
  it('64 KiB of random bytes: exit 2, located, a small stderr with every control character escaped', async () => {
    // Seeds whose bytes gave 110-152 KB of stderr with lines of 50,000-99,000 characters before.
    for (const seed of [1, 3, 5]) {
      const file = join(scratch, `random-${seed}.yaml`);
      writeFileSync(file, randomBytesOf(seed, 64 * 1024));
      const { exitCode, stderr, stdout } = await rebound(['validate', file]);
      expect(exitCode, stderr).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`^${file}:\\d+:\\d+ YAML: `));
      expect(stderr).not.toMatch(RAW_CONTROL);
      expect(stderr).not.toMatch(NOT_INTERNAL);
      const lines = stderr.split('\n');
      const longest = Math.max(...lines.map((line) => line.length));
      console.log(`random bytes, seed ${seed}: stderr ${Buffer.byteLength(stderr)} bytes in ${lines.length} lines, the longest ${longest} characters`);
      expect(Buffer.byteLength(stderr)).toBeLessThan(8 * 1024);
      expect(longest).toBeLessThan(400);
    }
  });

  it('a 200 KB one-line flow sequence nested 100,000 deep: exit 2 at once, located, without the stack or 300 MB', async () => {
    const file = join(scratch, 'deep.yaml');
    writeFileSync(file, `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    const { result, ms, maxRssMiB } = await reboundMeasured(['validate', file]);
    const idle = await reboundMeasured(['validate', 'experiments/docker/crash-with-restart-policy.yaml']);
    console.log(`100,000-deep flow sequence: exit ${result.exitCode} after ${ms.toFixed(0)} ms, peak RSS ${maxRssMiB.toFixed(0)} MiB (a valid file: ${idle.ms.toFixed(0)} ms, ${idle.maxRssMiB.toFixed(0)} MiB)`);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toBe(`${file}:1:65 nested more than 64 levels deep: this is not an experiment file\n  an experiment nests about 4 levels (faults, the entry, the fault, its parameters); flatten the document`);
    // Composing it took ~300 MB before the limit; now it costs what validating a valid file does.
    expect(maxRssMiB).toBeLessThan(idle.maxRssMiB + 40);
    expect(ms).toBeLessThan(idle.ms + 2000);
  });
});

describe('paths given to run and validate (built CLI)', () => {
  const suite = join(scratch, 'suite');
  mkdirSync(suite);
  const empty = join(scratch, 'empty');
  mkdirSync(empty);
  const fifo = join(scratch, 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
  const dangling = join(scratch, 'dangling.yaml');
  symlinkSync(join(scratch, 'gone.yaml'), dangling);

  it('validate takes a directory: its *.yaml in name order', async () => {
    const { exitCode, stdout, stderr } = await rebound(['validate', 'experiments/docker']);
    expect(exitCode, stderr).toBe(0);
    const files = readdirSync('experiments/docker').filter((name) => name.endsWith('.yaml')).sort();
    expect(stdout.split('\n').filter((line) => line.includes(': ok (')).map((line) => line.split(':')[0])).toEqual(files.map((name) => `experiments/docker/${name}`));
  });

  it('a missing file, a FIFO, a dangling link and an empty directory are usage errors naming the path', async () => {
    const cases: [string[], RegExp][] = [
      [['run', join(scratch, 'missing.yaml')], /^rebound: cannot read experiment file \S+missing\.yaml: ENOENT \(no such file or directory\)\n {2}check the path; the examples are in experiments\/docker/],
      [['validate', fifo], /^rebound: cannot read experiment file \S+pipe\.yaml: it is a FIFO \(named pipe\), not a regular file\n {2}give a \.yaml file, or a directory of them/],
      [['run', dangling, '--dry-run'], /^rebound: cannot read experiment file \S+dangling\.yaml: ENOENT \(a symbolic link to \S+gone\.yaml, which does not exist\)\n/],
      [['run', empty], /^rebound: \S+empty is a directory without experiment files \(\*\.yaml or \*\.yml\)\n {2}give experiment files or a directory holding them/],
      [['validate', empty], /^rebound: \S+empty is a directory without experiment files/],
    ];
    for (const [args, message] of cases) {
      const { exitCode, stderr } = await rebound(args);
      expect(exitCode, `${args.join(' ')}: ${stderr}`).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(NOT_INTERNAL);
    }
  });

  it('an unreadable file or directory is a usage error, also when rebound runs as an unprivileged user', async () => {
    const secret = join(scratch, 'secret.yaml');
    writeFileSync(secret, readFileSync('experiments/docker/crash-with-restart-policy.yaml'));
    chmodSync(secret, 0o000);
    // The tests run as root, who may read anything: drop to nobody (65534) before the CLI starts.
    const asNobody = join(scratch, 'as-nobody.mjs');
    writeFileSync(asNobody, `if (process.getuid() === 0) { process.setgroups([]); process.setgid(65534); process.setuid(65534); }\nawait import(${JSON.stringify(REBOUND_BIN)});\n`);
    for (const command of ['validate', 'run']) {
      const { exitCode, stderr } = await rebound([command, secret], { script: asNobody });
      expect(exitCode, stderr).toBe(2);
      expect(stderr).toBe(`rebound: cannot read experiment file ${secret}: EACCES (permission denied)\n  make it readable for this user (chmod a+r ${secret}), or run rebound as a user who may read it`);
    }
    const closed = join(scratch, 'closed');
    mkdirSync(closed, { mode: 0o000 });
    const { exitCode, stderr } = await rebound(['run', closed, '--dry-run'], { script: asNobody });
    expect(exitCode, stderr).toBe(2);
    expect(stderr).toMatch(new RegExp(`^rebound: cannot read experiment directory ${closed}: EACCES \\(permission denied\\)\n {2}make it readable`));
  });

  it.runIf(dockerUp)('run <directory> --dry-run plans every file on the real Docker engine and touches nothing', async () => {
    // Two demo containers the shipped experiments select (app=web), watched for any change.
    const containers = await demo.start({ count: 2, labels: { app: 'web' } });
    const docker = new Docker();
    const stateOf = async () => Promise.all(containers.names.map(async (name) => { const { State, RestartCount } = await docker.getContainer(name).inspect(); return { name, running: State.Running, paused: State.Paused, startedAt: State.StartedAt, RestartCount }; }));
    const before = await stateOf();
    const { exitCode, stdout, stderr } = await rebound(['run', 'experiments/docker', '--dry-run']);
    expect(exitCode, stderr).toBe(0);
    const planned = [...stdout.matchAll(/^Plan for (\S+) on Docker/gm)].map((match) => match[1]);
    expect(planned).toEqual(readdirSync('experiments/docker').filter((name) => name.endsWith('.yaml')).sort().map((name) => `experiments/docker/${name}`));
    expect(stdout.match(/\(dry run: nothing was touched\)/g)).toHaveLength(planned.length);
    for (const name of containers.names) expect(stdout).toContain(name);
    expect(await stateOf()).toEqual(before);
  });
});
