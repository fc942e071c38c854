import { formatValidationIssue, ValidationError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import { loadExperiment } from '../../experiments/load-experiment.js';

/** `rebound validate <files..>`: every file checked, every problem located; exit 2 if any. */
export async function validateCommand(argv: { files: string[] }): Promise<number> {
  let failed = false;
  for (const file of argv.files) {
    try {
      const { experiment } = await loadExperiment(file);
      process.stdout.write(`${file}: ok (${experiment.metadata.name}: ${experiment.faults.length} fault(s), ${experiment.assertions.length} assertion(s))\n`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      failed = true;
      process.stderr.write(`${error.issues.map(formatValidationIssue).join('\n')}\n`);
    }
  }
  return failed ? ExitCode.invalidInput : ExitCode.passed;
}
