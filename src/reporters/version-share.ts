import { entriesOf, type TimelineEntry } from '../timeline/timeline.js';

/** Answers per version in one slice of a run [from, to), ms since run start. */
export interface VersionSlice {
  from: number;
  to: number;
  /** Answered requests per version, in the order of `VersionShare.versions`. */
  counts: number[];
}

/** Share of answers per version over time: what a rollout looks like from the client's side. */
export interface VersionShare {
  /** Versions in the order they first answered. */
  versions: string[];
  sliceMs: number;
  slices: VersionSlice[];
}

/** At most this many slices: a table a person reads at a glance. */
const MAX_SLICES = 24;

/** 1, 2 or 5 s times a power of ten, the smallest that covers `endMs` in MAX_SLICES slices. */
export function sliceWidth(endMs: number): number {
  const raw = Math.max(1, endMs / MAX_SLICES);
  for (let power = 1000; ; power *= 10) for (const factor of [1, 2, 5]) if (factor * power >= raw) return factor * power;
}

/**
 * The answered requests of the whole run (probe requests by when they were sent, load buckets by
 * their start) per version and slice; null when no answer named its version (X-Version).
 */
export function versionShare(entries: readonly TimelineEntry[], endMs: number): VersionShare | null {
  const sliceMs = sliceWidth(endMs);
  const count = Math.floor(endMs / sliceMs) + 1;
  const versions: string[] = [];
  const slices: VersionSlice[] = Array.from({ length: count }, (_, index) => ({ from: index * sliceMs, to: Math.min(endMs, (index + 1) * sliceMs), counts: [] }));
  const add = (t: number, version: string, answers: number) => {
    let column = versions.indexOf(version);
    if (column === -1) column = versions.push(version) - 1;
    const slice = slices[Math.min(count - 1, Math.max(0, Math.floor(t / sliceMs)))]!;
    slice.counts[column] = (slice.counts[column] ?? 0) + answers;
  };
  for (const request of entriesOf(entries, 'request')) if (request.data.ok && request.data.version !== undefined) add(request.t, request.data.version, 1);
  for (const bucket of entriesOf(entries, 'load-bucket')) for (const [version, answers] of Object.entries(bucket.data.byVersion ?? {})) add(bucket.t, version, answers);
  if (versions.length === 0) return null;
  for (const slice of slices) slice.counts = versions.map((_, column) => slice.counts[column] ?? 0);
  return { versions, sliceMs, slices: slices.filter((slice) => slice.to > slice.from) };
}
