import type { RunPhase, TimelineEntry } from '../timeline/timeline.js';
import { formatCount } from './format.js';

/** What the live status line shows, counted from timeline entries as they arrive. */
export interface ProgressStatus {
  phase: RunPhase | 'starting';
  probeOk: number;
  probeFailed: number;
  loadSent: number;
  loadFailed: number;
  ready?: number;
  desired?: number;
  faultsInjected: number;
  faultsFailed: number;
}

export function initialStatus(): ProgressStatus {
  return { phase: 'starting', probeOk: 0, probeFailed: 0, loadSent: 0, loadFailed: 0, faultsInjected: 0, faultsFailed: 0 };
}

/** Counts one entry into the status (mutates it: this runs for every probe request). */
export function countEntry(status: ProgressStatus, entry: TimelineEntry): void {
  switch (entry.kind) {
    case 'phase':
      status.phase = entry.data.phase;
      break;
    case 'request':
      if (entry.data.ok) status.probeOk++;
      else status.probeFailed++;
      break;
    case 'load-bucket':
      status.loadSent += entry.data.sent;
      status.loadFailed += entry.data.failed;
      break;
    case 'replicas':
      status.ready = entry.data.ready;
      status.desired = entry.data.desired;
      break;
    case 'fault-injected':
      status.faultsInjected++;
      break;
    case 'fault-failed':
      status.faultsFailed++;
      break;
    default:
      break;
  }
}

/** "chaos · requests 1,204 ok / 3 failed · load 8,000 sent / 12 failed · ready 2/3 · faults 1" */
export function formatStatus(status: ProgressStatus): string {
  const parts: string[] = [status.phase];
  parts.push(`requests ${formatCount(status.probeOk)} ok / ${formatCount(status.probeFailed)} failed`);
  if (status.loadSent > 0) parts.push(`load ${formatCount(status.loadSent)} sent / ${formatCount(status.loadFailed)} failed`);
  parts.push(`ready ${status.ready ?? '?'}/${status.desired ?? '?'}`);
  parts.push(`faults ${status.faultsInjected}${status.faultsFailed > 0 ? ` (+${status.faultsFailed} failed)` : ''}`);
  return parts.join(' · ');
}
