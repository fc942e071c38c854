// Reading /proc/<pid>/stat and oom_score_adj, the same text on the Docker host and in a kind node.

/**
 * The process's start time (field 22 of /proc/<pid>/stat, clock ticks since boot): with the pid, it
 * names one process for good (a pid can be reused, a pid + start time cannot). The command name
 * (field 2) may hold spaces and parentheses, so the fields are counted after its last ")".
 */
export function startTimeOfStat(stat: string): string | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state): field 22 is rest[19].
  const value = rest[19];
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

/** Parses "<oom_score_adj> <stat fields from field 3 on>": the score, and the start time (field 22). */
export function parseProcessFacts(output: string): { oomScoreAdj: number; startTime: string } | undefined {
  const [adj, ...stat] = output.trim().split(/\s+/);
  const oomScoreAdj = Number(adj);
  // The script printed the stat fields from field 3 on: field 22 is the 20th of them.
  const startTime = stat[19];
  return Number.isInteger(oomScoreAdj) && startTime !== undefined && /^\d+$/.test(startTime) ? { oomScoreAdj, startTime } : undefined;
}
