/** What a reporter learns when a run is about to start. */
export interface RunStartInfo {
  experiment: string;
  target: string;
  iteration: number;
  iterations: number;
  durationMs: number;
}
