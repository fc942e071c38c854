import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { EnvironmentError } from '../../common/errors.js';
import { compareCommand } from './compare.js';

export interface DemoArgs {
  iterations: number;
  out: string;
  setup: boolean;
  kubeconfig?: string;
  context?: string;
}

/** The repository rebound runs from (dist/cli/commands → ../../..): the demo's scripts and experiments live there. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `rebound demo`: set up (or reuse) the Docker engine, the demo image and the offline kind cluster,
 * then compare Docker with Kubernetes on the seed-claims suite (experiments/compare) and write
 * the reports, the HTML one with the timelines included.
 */
export async function demoCommand(argv: DemoArgs): Promise<number> {
  const suite = `${ROOT}experiments/compare`;
  if (!existsSync(suite)) throw new EnvironmentError(`the demo's experiments are not here (${suite})`, { hint: 'run rebound demo from a clone of the rebound repository' });
  if (argv.setup) await runSetup();
  const kubeconfig = argv.kubeconfig ?? process.env.REBOUND_KUBECONFIG;
  const context = argv.context ?? process.env.REBOUND_KUBE_CONTEXT;
  const out = argv.out.replace(/\/+$/, '');
  process.stderr.write(`rebound demo: the seed-claims suite, ${argv.iterations} iteration(s) per target, Docker vs Kubernetes\n`);
  const code = await compareCommand({
    files: [suite],
    targets: 'docker,kubernetes',
    iterations: argv.iterations,
    reporter: ['console', `html=${out}/report.html`, `json=${out}/report.json`, `markdown=${out}/summary.md`, `junit=${out}/junit.xml`],
    stateDir: '.rebound',
    allowUnlabelled: false,
    ...(kubeconfig && { kubeconfig }),
    ...(context && { context }),
  });
  process.stdout.write(`\nThe HTML report (timelines, distributions): ${out}/report.html — also ${out}/summary.md, report.json, junit.xml\n`);
  return code;
}

/** scripts/setup.sh is idempotent and prints the exports to use (PATH, REBOUND_KUBECONFIG, REBOUND_KUBE_CONTEXT). */
async function runSetup(): Promise<void> {
  const setup = `${ROOT}scripts/setup.sh`;
  process.stderr.write('rebound demo: setting up or reusing Docker, the demo image and the kind cluster (scripts/setup.sh)\n');
  const result = await execa('bash', [setup], { cwd: ROOT, stderr: 'inherit', stdin: 'ignore', reject: false });
  if (result.failed) throw new EnvironmentError(`scripts/setup.sh failed (exit ${result.exitCode ?? result.signal})`, { hint: 'see its messages above; each step keeps a log under ~/.cache/rebound' });
  for (const line of String(result.stdout).split('\n')) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) process.env[match[1]!] = unquote(match[2]!).replace('$PATH', process.env.PATH ?? '');
  }
}

/** The values setup prints are shell words: "…" quoting and printf %q backslash escapes, nothing else. */
function unquote(word: string): string {
  return word.replace(/\\(.)|"/g, (_, escaped: string | undefined) => escaped ?? '');
}
