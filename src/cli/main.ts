import yargs, { type Argv } from 'yargs';
import { escapeControls } from '../common/echo-input.js';
import { formatReboundError, ReboundError } from '../common/errors.js';
import { ExitCode } from '../common/exit-codes.js';
import { INSTANCE_FAULT_ROUTES } from '../common/instance-fault-route.js';
import { version } from './version.js';

// The only place that maps errors to exit codes. Commands are plain async functions returning an
// exit code; each is imported when used, so `rebound --help` loads no engine client.

// yargs has validated the arguments against each command's options before a handler runs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (argv: any) => Promise<number>;
let exitCode: number = ExitCode.passed;

const run = (load: () => Promise<Handler>) => async (argv: Record<string, unknown>) => {
  exitCode = await (await load())(argv);
};

const kubeOptions = (y: Argv) =>
  y
    .option('kubeconfig', { type: 'string', describe: 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config)' })
    .option('context', { type: 'string', describe: 'Kube context to use; rebound refuses any other' });

const targetOptions = (y: Argv) =>
  kubeOptions(y.option('target', { alias: 't', choices: ['docker', 'kubernetes'] as const, describe: 'Target engine (default: the experiment\'s `target`, else docker)' }));

/** What `run` and `compare` share: reports, journals and the blast-radius switch. */
const runOptions = <T>(y: Argv<T>) =>
  y
    // Not `array: true`: an array option would swallow the file arguments that follow it.
    // Repeated options still arrive as an array (yargs' duplicate-arguments-array).
    .option('reporter', { alias: 'r', type: 'string', describe: 'name[=file]: console, json, junit, markdown, html (repeatable)', coerce: (value: string | string[]) => [value].flat() })
    .option('out', { alias: 'o', type: 'string', describe: 'Directory for file reporters given without a file' })
    .option('state-dir', { type: 'string', default: '.rebound', describe: 'Where journals are kept (for `rebound recover`)' })
    .option('allow-unlabelled', { type: 'boolean', default: false, describe: 'Also touch instances without the opt-in label rebound.dev/chaos=enabled' })
    .option('instance-faults', { choices: INSTANCE_FAULT_ROUTES, describe: 'Kubernetes: how crash reaches a pod\'s process: node (kind), ephemeral (an ephemeral container), auto (default; overrides kubernetes.instanceFaults)' });

export async function main(args: string[]): Promise<number> {
  exitCode = ExitCode.passed;
  const cli = yargs(args)
    .scriptName('rebound')
    .usage('$0 <command> [options]\n\nChaos and self-healing tests for Docker hosts and Kubernetes (kind) clusters.')
    .command(
      'run <files..>',
      'Run experiments and check their assertions',
      (y) =>
        runOptions(targetOptions(y))
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Experiment YAML files or directories of them (their *.yaml, in name order); file.yaml@docker or @kubernetes picks the target per file' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'Show the plan (what would be touched); touch nothing' })
          .option('iterations', { alias: 'n', type: 'number', describe: 'Run each experiment this many times (overrides the file)' }),
      run(async () => (await import('./commands/run.js')).runCommand as Handler),
    )
    .command(
      'compare <files..>',
      'Run the same experiments on several targets, N times each, and compare them with statistics',
      (y) =>
        runOptions(kubeOptions(y))
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Experiment files or directories of them (e.g. experiments/compare)' })
          .option('targets', { type: 'string', default: 'docker,kubernetes', describe: 'Comma-separated targets to compare' })
          .option('iterations', { alias: 'n', type: 'number', default: 3, describe: 'Iterations per experiment and target' }),
      run(async () => (await import('./commands/compare.js')).compareCommand as Handler),
    )
    .command(
      'demo',
      'The flagship demo: Docker vs Kubernetes on the seed-claims suite, measured, with an HTML report',
      (y) =>
        y
          .option('iterations', { alias: 'n', type: 'number', default: 2, describe: 'Iterations per experiment and target' })
          .option('out', { alias: 'o', type: 'string', default: 'out/demo', describe: 'Where the reports go' })
          .option('setup', { type: 'boolean', default: true, describe: 'Set up or reuse Docker, the demo image and the kind cluster first (--no-setup skips it)' })
          .option('kubeconfig', { type: 'string', describe: 'Kubeconfig file (default: the offline kind cluster\'s)' })
          .option('context', { type: 'string', describe: 'Kube context (default: kind-rebound)' }),
      run(async () => (await import('./commands/demo.js')).demoCommand as Handler),
    )
    .command(
      'gameday <file>',
      'Walk a team through a game day: preflight, one step at a time with a live view, notes, a stop key (x), a post-mortem',
      (y) =>
        runOptions(kubeOptions(y))
          .positional('file', { type: 'string', demandOption: true, describe: 'A game-day file (kind: GameDay), e.g. experiments/gameday/demo-app.yaml' })
          .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'No prompts: every step in order, plain lines (also without a TTY), e.g. a rehearsal in CI' })
          .option('notes', { type: 'string', describe: 'A notes file: notes at given times and the team\'s answers (for --yes)' }),
      run(async () => (await import('./commands/gameday.js')).gameDayCommand as Handler),
    )
    .command(
      'validate <files..>',
      'Check experiment files; print located errors',
      (y) => y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'Experiment files or directories of them (their *.yaml)' }),
      run(async () => (await import('./commands/validate.js')).validateCommand as Handler),
    )
    .command(
      'teardown <files..>',
      'Remove what an experiment\'s deploy: created (by its label, nothing else) and run its teardown: commands; a second call finds nothing',
      (y) =>
        kubeOptions(
          y
            .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Experiment files or directories of them (e.g. experiments/compare) whose systems to remove' })
            .option('target', { alias: 't', choices: ['docker', 'kubernetes'] as const, describe: 'Only this target (default: each of the experiment\'s `targets` whose engine answers, both by default)' }),
        ),
      run(async () => (await import('./commands/teardown.js')).teardownCommand as Handler),
    )
    .command(
      'recover',
      'Undo what unfinished runs left behind (after kill -9 or a forced exit), from their journals',
      (y) =>
        y
          .option('run', { type: 'string', describe: 'Only this run id' })
          .option('all', { type: 'boolean', default: false, describe: 'Every unfinished run (the default when --run is not given)' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'Say what would be undone; touch nothing' })
          .option('state-dir', { type: 'string', default: '.rebound', describe: 'Where journals are kept' })
          .option('kubeconfig', { type: 'string' })
          .option('context', { type: 'string' }),
      run(async () => (await import('./commands/recover.js')).recoverCommand as Handler),
    )
    .command(
      'cluster <action> [images..]',
      'Manage kind clusters: create | delete | list | load-image | kubeconfig',
      (y) =>
        y
          .positional('action', { choices: ['create', 'delete', 'list', 'load-image', 'kubeconfig'] as const, demandOption: true })
          .positional('images', { type: 'string', array: true, describe: 'load-image: local images to copy into the nodes' })
          .option('name', { type: 'string', default: 'rebound', describe: 'Cluster name' })
          .option('nodes', { type: 'number', default: 3, describe: 'create: nodes in all (1 control plane + workers)' })
          .option('image', { type: 'string', describe: 'create: kind node image (default: the offline one this project builds)' })
          .option('config', { type: 'string', describe: 'create: your own kind config file' })
          .option('kubeconfig', { type: 'string', describe: 'Kubeconfig file kind writes to / reads' })
          .option('wait', { type: 'string', default: '180s', describe: 'create: how long to wait for Ready nodes' }),
      run(async () => (await import('./commands/cluster.js')).clusterCommand as Handler),
    )
    .command('schema', 'Print the experiment JSON Schema (for editors)', (y) => y.option('game-day', { type: 'boolean', default: false, describe: 'The game-day file\'s JSON Schema instead' }), run(async () => (await import('./commands/schema.js')).schemaCommand as Handler))
    // Hidden (describe: false): what the pods of a cluster load run (load.in: cluster), not for people.
    .command(
      'load-worker',
      false,
      (y) =>
        y
          .option('url', { type: 'string', demandOption: true, describe: 'The system\'s Service, http://<service>.<namespace>.svc:<port>/<path>' })
          .option('spec', { type: 'string', demandOption: true, describe: 'The load spec as JSON (ms, req/s)' })
          .option('start', { type: 'number', demandOption: true, describe: 'The common start instant, epoch ms' })
          .option('workers', { type: 'number', demandOption: true, describe: 'How many workers share the load' })
          .option('index', { type: 'number', describe: 'This worker (default: $JOB_COMPLETION_INDEX)' })
          .option('raw-samples', { type: 'boolean', default: false, describe: 'Also write raw latencies (tests)' }),
      run(async () => (await import('./commands/load-worker.js')).loadWorkerCommand as Handler),
    )
    .command(
      'list',
      'List faults, assertions and reporters',
      (y) => y.option('markdown', { type: 'boolean', default: false, describe: "Print the fault table as Markdown (the README's)" }),
      run(async () => (await import('./commands/list.js')).listCommand as Handler),
    )
    .demandCommand(1, 'name a command: run, compare, demo, gameday, validate, teardown, recover, cluster, schema, list')
    .strict()
    .recommendCommands()
    .version(version)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((message, error, y) => {
      if (error) throw error;
      throw new CommandLineError(`${message}\n\n${y.help !== undefined ? 'Run `rebound --help` for usage.' : ''}`);
    });
  try {
    await cli.parseAsync();
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

class CommandLineError extends Error {}

function reportError(error: unknown): number {
  if (error instanceof CommandLineError) {
    // yargs repeats the offending argument: escaped like any echoed input.
    process.stderr.write(`rebound: ${escapeControls(error.message.trim(), '\n')}\n`);
    return ExitCode.invalidInput;
  }
  if (error instanceof ReboundError) {
    process.stderr.write(formatReboundError(error));
    return error.exitCode;
  }
  // Not a user error: a bug. Keep the stack, say so.
  process.stderr.write(`rebound: internal error (please report it): ${escapeControls(error instanceof Error ? (error.stack ?? error.message) : String(error), '\n')}\n`);
  return ExitCode.environment;
}
