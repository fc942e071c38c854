import { escapeControls } from '../../common/echo-input.js';
import { formatReboundError, UsageError, ValidationError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import { experimentFiles } from '../../experiments/experiment-files.js';
import { loadExperiment } from '../../experiments/load-experiment.js';
import { isGameDayFile, loadGameDay } from '../../experiments/load-game-day.js';
import { describeGuards } from '../../safety/guards/describe-guards.js';

/**
 * `rebound validate <files|dirs..>`: every file checked (a directory: its *.yaml), every problem
 * located, a path that cannot be read named; exit 2 if any. One bad path does not stop the others.
 */
export async function validateCommand(argv: { files: string[] }): Promise<number> {
  let failed = false;
  const report = (error: unknown) => {
    if (!(error instanceof ValidationError || error instanceof UsageError)) throw error;
    failed = true;
    process.stderr.write(formatReboundError(error));
  };
  for (const path of argv.files) {
    let files: string[];
    try {
      files = experimentFiles(path);
    } catch (error) {
      report(error);
      continue;
    }
    for (const file of files) {
      try {
        if (await isGameDayFile(file)) {
          const gameDay = await loadGameDay(file);
          const kinds = gameDay.steps.map((step) => (step.kind === 'check' ? 'check' : `${step.inline ? 'inline' : 'file'} experiment on ${step.target}`));
          process.stdout.write(`${escapeControls(file)}: ok (game day ${gameDay.name}: ${gameDay.steps.length} step(s): ${kinds.join(', ')})\n`);
          continue;
        }
        const { experiment } = await loadExperiment(file);
        const { faults, assertions, guards } = experiment;
        process.stdout.write(`${escapeControls(file)}: ok (${experiment.metadata.name}: ${faults.length} fault(s), ${assertions.length} assertion(s), ${guards.length} guard(s))\n`);
        // The first fault arms the guards; without a plan, its time is the earliest `at`.
        if (guards.length > 0) for (const line of describeGuards(guards, Math.min(...faults.map((fault) => fault.at)))) process.stdout.write(`  ${line}\n`);
      } catch (error) {
        report(error);
      }
    }
  }
  return failed ? ExitCode.invalidInput : ExitCode.passed;
}
