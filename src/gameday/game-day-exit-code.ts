import { ExitCode, type ExitCodeValue } from '../common/exit-codes.js';
import type { GameDayReport } from './game-day-report.js';

const SIGNAL_EXIT: Record<string, ExitCodeValue> = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated, SIGHUP: ExitCode.hangup };

/**
 * The game day's exit code, most important first: 3 preflight refused it; 4 a rollback or a
 * teardown failed (the system may be left degraded); 130 / 143 / 129 stopped by the stop key
 * (130, as Ctrl-C) or a signal, after rolling back; 3 a step could not run; 1 a hypothesis did not
 * hold (by the assertions or by the team's answer); 0 otherwise.
 */
export function gameDayExitCode(report: GameDayReport): ExitCodeValue {
  if (report.outcome === 'refused') return ExitCode.environment;
  if (report.steps.some((step) => step.rollbacks.some((rollback) => !rollback.ok) || step.released === false)) return ExitCode.rollbackFailed;
  if (report.stop) return SIGNAL_EXIT[report.stop.by] ?? ExitCode.interrupted;
  if (report.steps.some((step) => step.status === 'error')) return ExitCode.environment;
  if (report.steps.some((step) => step.assertions.verdict === 'not-held' || step.team?.verdict === 'not-held')) return ExitCode.assertionFailed;
  return ExitCode.passed;
}
