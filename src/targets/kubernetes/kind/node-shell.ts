import { randomBytes } from 'node:crypto';
import { execa, type ResultPromise } from 'execa';
import type { KindNode } from './kind-nodes.js';

/**
 * A bash session kept open in a kind node (`docker exec -i <node> bash`), for what must happen at an
 * instant: each `docker exec` starts a process in the node through the engine, ≈ 100–170 ms on this
 * loaded 2-core machine (src/targets/FAULT-MECHANISMS.md), while a line written to a session already
 * open runs at once. Opened ahead (an armed fault's preparation), closed after use. If rebound dies,
 * the docker CLI dies with it, the session's stdin closes and its bash exits: nothing stays.
 */
export class NodeShell {
  private output = '';
  private errors = '';
  private ended = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly node: KindNode,
    private readonly child: ResultPromise<{ reject: false; buffer: false }>,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.errors += chunk));
    void child.then(() => (this.ended = true));
    // A write racing the session's end fails with EPIPE on stdin: the session is over (runNow then says so), not rebound.
    child.stdin?.on('error', () => (this.ended = true));
  }

  static open(node: KindNode): NodeShell {
    const child = execa('docker', ['exec', '-i', node.containerId, 'bash'], { reject: false, buffer: false, stdin: 'pipe' });
    return new NodeShell(node, child);
  }

  /** Still open: a script written now will run. */
  get open(): boolean {
    return !this.ended;
  }

  /** Runs a script in the session (one at a time) and resolves with its exit code and output. */
  run(script: string, timeoutMs = 10_000): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const next = this.queue.then(() => this.runNow(script, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(script: string, timeoutMs: number): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    if (!this.open) throw new Error(`the shell session in node ${this.node.name} has ended: ${this.errors.trim() || 'no message'}`);
    const marker = `__rebound_done_${randomBytes(6).toString('hex')}`;
    this.output = '';
    this.errors = '';
    // A subshell: an `exit` in the script ends it, not the session; stdin is not the session's.
    this.child.stdin!.write(`( ${script}\n) </dev/null; echo "${marker} $?"; echo "${marker}" >&2\n`);
    const deadline = performance.now() + timeoutMs;
    const pattern = new RegExp(`${marker} (\\d+)\\n`);
    for (;;) {
      const done = pattern.exec(this.output);
      if (done && this.errors.includes(marker)) {
        return { exitCode: Number(done[1]), stdout: this.output.slice(0, done.index), stderr: this.errors.slice(0, this.errors.indexOf(marker)) };
      }
      if (!this.open) throw new Error(`the shell session in node ${this.node.name} ended during a script: ${this.errors.trim() || 'no message'}`);
      if (performance.now() > deadline) throw new Error(`a script in the shell session in node ${this.node.name} did not end within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Ends the session (its bash exits at the end of its input). Safe twice. */
  async close(): Promise<void> {
    if (!this.ended) this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGTERM'), 5000);
    await this.child;
    clearTimeout(timer);
  }
}
