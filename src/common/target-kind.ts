/** The engines rebound drives: a plain Docker host, or a Kubernetes cluster. */
export type TargetKind = 'docker' | 'kubernetes';
