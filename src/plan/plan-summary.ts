import type { DeployFacts } from './deploy-facts.js';
import type { NetworkPreview } from './network-preview.js';
import type { TargetKind } from '../targets/target.js';

/** What the plan resolved, as reported (the plan itself holds live objects). */
export interface PlanSummary {
  target: TargetKind;
  /** e.g. "Docker 20.10.24 (unix:///var/run/docker.sock)". */
  targetDescription: string;
  desired: number;
  instances: { name: string; host?: string; ready: boolean; eligible: boolean; reason?: string }[];
  hosts: { name: string; role?: string; ready: boolean }[];
  faults: {
    index: number;
    name: string;
    /** ms from run start of each repetition. */
    at: number[];
    subjects: string[];
    params: Record<string, unknown>;
    /** Rollback after this many ms (pause, fail-node with duration), else at the end of the run. */
    rollbackAfter?: number;
    note?: string;
    /** Network faults: the exact rules and proxy settings the helper will apply (--dry-run prints them). */
    network?: NetworkPreview;
  }[];
  /** Total observation time from run start, ms (the most, with until: recovered). */
  durationMs: number;
  settleMs: number;
  /** until: recovered — the run may end once every fault recovered, but not before this (ms from start). */
  endWhenRecovered?: { notBeforeMs: number };
  /** What aborts the run, in words (absent in reports written before guards were kept here). */
  guards?: { name: string; text: string }[];
  /** The deploy's limits, autoscaling and spread in words (plan/deploy-facts.ts); absent without a deploy. */
  deploy?: DeployFacts;
  probe?: { url: string; rate: number; timeoutMs: number };
  /** The load; in: cluster also says how many workers, from when (ms from start) and which nodes they avoid. */
  load?: { url: string; profile: string; durationMs: number; in?: 'cluster'; workers?: number; startsAtMs?: number; avoidNodes?: string[] };
  warnings: string[];
}
