import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The kind cluster is shared: two test runs on this machine (an engineer's and a full `npm test`)
// would fail each other's nodes mid-test (a stopped worker makes the other run's pods unready).
// Each Kubernetes test file holds this lock from beforeAll to afterAll, so they take turns.
// mkdir is atomic; the holder's pid inside lets a lock left by a killed run be taken over.
const LOCK = join(tmpdir(), 'rebound-kind-cluster-tests.lock');

function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    // No pid file yet: the holder is between mkdir and write, unless that was long ago.
    return Date.now() - statSync(LOCK).mtimeMs < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: the run that held it is gone
  }
}

/** Waits (bounded) for the cluster lock; returns its release. */
export async function lockCluster(timeoutMs = 280_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!holderAlive()) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another test run holds ${LOCK} (pid ${readFileSync(join(LOCK, 'pid'), 'utf8')}) for more than ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
