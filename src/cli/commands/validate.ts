import { formatValidationIssue, ValidationError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import { loadExperiment } from '../../experiments/load-experiment.js';
import { describeGuards } from '../../safety/guards/describe-guards.js';

/** `rebound validate <files..>`: every file checked, every problem located; exit 2 if any. */
export async function validateCommand(argv: { files: string[] }): Promise<number> {
  let failed = false;
  for (const file of argv.files) {
    try {
      const { experiment } = await loadExperiment(file);
      const { faults, assertions, guards } = experiment;
      process.stdout.write(`${file}: ok (${experiment.metadata.name}: ${faults.length} fault(s), ${assertions.length} assertion(s), ${guards.length} guard(s))\n`);
      // The first fault arms the guards; without a plan, its time is the earliest `at`.
      if (guards.length > 0) for (const line of describeGuards(guards, Math.min(...faults.map((fault) => fault.at)))) process.stdout.write(`  ${line}\n`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      failed = true;
      process.stderr.write(`${error.issues.map(formatValidationIssue).join('\n')}\n`);
    }
  }
  return failed ? ExitCode.invalidInput : ExitCode.passed;
}
