import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeApi } from './kube-api.js';

/**
 * A kubeconfig for the experiment's setup/teardown commands (kubectl apply …), naming the context
 * rebound itself uses as the current one. Without it kubectl would read $KUBECONFIG or
 * ~/.kube/config and its current context — possibly another cluster than the one rebound was told
 * to use (--kubeconfig, --context), which the context guard exists to prevent. Written once per
 * target, readable only by the user (it holds the credentials of that one context's file), and
 * removed by `remove()`.
 */
export class CommandKubeconfig {
  private directory: string | undefined;

  constructor(private readonly api: KubeApi) {}

  /** The environment the commands get: KUBECONFIG, and REBOUND_KUBE_CONTEXT for scripts that want to say which. */
  environment(): Record<string, string> {
    if (this.directory === undefined) {
      this.directory = mkdtempSync(join(tmpdir(), 'rebound-kubeconfig-'));
      // client-node made certificate paths absolute when it loaded the file: the copy works from anywhere.
      writeFileSync(join(this.directory, 'kubeconfig'), this.api.config.exportConfig(), { mode: 0o600 });
    }
    return { KUBECONFIG: join(this.directory, 'kubeconfig'), REBOUND_KUBE_CONTEXT: this.api.context };
  }

  remove(): void {
    if (this.directory !== undefined) rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }
}
