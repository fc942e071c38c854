import type { CpuQuantity, MemoryQuantity } from '../common/resource-quantity.js';
import type { TargetKind } from '../common/target-kind.js';
import type { ClusterLoadUndo, FaultName, FaultParams, FaultUndo, Preparation, RollbackOutcome } from '../faults/index.js';
import type { FaultFacts, TimelineWriter } from '../timeline/timeline.js';
import type { LoadRequest, RunningTraffic } from '../probes/traffic.js';

export type { FaultUndo, Preparation, RollbackOutcome, TargetKind };

// One interface hides Docker and Kubernetes from everything else. Only rebound's vocabulary
// appears here: no dockerode or client-node type crosses this line.

/** Which instances make up the system under test. */
export interface Selector {
  /** Container labels (Docker) / pod labels (Kubernetes); all must match. */
  labels: Record<string, string>;
  /** Glob on the container / pod name, e.g. `web-*`. */
  name?: string;
  /** Docker Compose service (label com.docker.compose.service). */
  service?: string;
  /** Docker Compose project (label com.docker.compose.project). */
  project?: string;
  /** Kubernetes namespace. */
  namespace?: string;
  /** Kubernetes owner whose spec gives the desired replica count. */
  owner?: { kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet'; name: string };
}

/** A container or a pod. */
export interface Instance {
  id: string;
  name: string;
  /** Docker: the engine host name; Kubernetes: the node name. */
  host?: string;
  /** Epoch ms. */
  createdAt: number;
  running: boolean;
  /** Running, and healthy when it has a health check / Ready condition. */
  ready: boolean;
  labels: Record<string, string>;
  restartPolicy?: string;
  /** Docker on-failure: how many restarts the policy allows (0: no limit). */
  maximumRetryCount?: number;
  /** Restarts the engine counted so far (Docker RestartCount; Kubernetes: the main container's restartCount). */
  restartCount?: number;
  hasHealthcheck: boolean;
  /** TCP ports it declares (Docker EXPOSE, Kubernetes containerPort): where network faults act by default. */
  ports?: number[];
  /** Why the blast-radius rules do not allow touching it, if they do not. */
  protectedReason?: string;
}

/** The Docker host, or a Kubernetes node. */
export interface Host {
  name: string;
  role?: string;
  ready: boolean;
  schedulable: boolean;
  /** Instances of the system under test on this host. */
  instanceCount: number;
  protectedReason?: string;
}

export interface Discovery {
  instances: Instance[];
  hosts: Host[];
  /** Desired replica count: the owner's spec on Kubernetes, the matched containers on Docker. */
  desired: number;
}

/** A fault ready to inject: the plan resolved who it touches. Its params are the fault module's (defaults applied). */
export type PlannedFault = {
  [K in FaultName]: {
    /** Index in the experiment's `faults`, and which repetition. */
    index: number;
    repetition: number;
    name: K;
    params: FaultParams<K>;
    /** Instances or hosts (by name) it touches. */
    subjects: string[];
  };
}[FaultName];

/** What the runner hands an injection besides the fault itself. */
export interface InjectionRun {
  selector: Selector;
  timeline: TimelineWriter;
  /** The run's: cuts a long injection short (a drain waiting on a PodDisruptionBudget). */
  signal?: AbortSignal;
  /** Journals (fsync) a refined undo record before the injection's next step: see FaultRun.record. */
  record(undo: FaultUndo): void;
  /** What `prepare` made ready for this fault, if anything. */
  prepared?: Preparation;
}

/** An injected fault: `rollback()` undoes it and is safe to call more than once. */
export interface FaultHandle {
  /** What the engine will do next, for the report (e.g. the crash-vs-kill semantics). */
  note: string;
  facts?: FaultFacts;
  /** Set when the injection stopped half-way after changing the system (IncompleteInjection): why. */
  incomplete?: string;
  /** How to undo it from a journal if rebound dies. */
  undo: FaultUndo;
  rollback(): Promise<RollbackOutcome>;
}

export interface ObserveOptions {
  desired: number;
  /**
   * Sample these instances' cgroups (CPU used and throttled, memory, limits) into resource-sample
   * entries, for at most `forMs`: the instances a resource fault touches.
   */
  resources?: { subjects: readonly string[]; forMs: number };
}

/** Observers started by `observe`; `stop()` ends every watch and stream. */
export interface Observation {
  stop(): Promise<void>;
}

/** The system under test as rebound deploys it (the experiment's `deploy`), the same on both targets. */
export interface DeploymentSpec {
  /** Docker: container names <name>-0, <name>-1 …; Kubernetes: the Deployment, Service and PDB name. */
  name: string;
  /** Every instance carries these (the experiment's selector, rebound.dev/deploy and the opt-in label). */
  labels: Record<string, string>;
  image: string;
  replicas: number;
  /** Port the app listens on inside the container. */
  port: number;
  healthPath: string;
  /** Docker restart policy (no | always | on-failure | unless-stopped); Kubernetes Deployments always restart. */
  restartPolicy: string;
  env: Record<string, string>;
  /** Docker: replica i published on 127.0.0.1:(hostPort + i). */
  hostPort?: number;
  /** Kubernetes: the Service's NodePort (mapped to 127.0.0.1 by the kind cluster). */
  nodePort?: number;
  /** Kubernetes: a PodDisruptionBudget with this minAvailable. */
  minAvailable?: number;
  /** Kubernetes: tolerationSeconds for node.kubernetes.io/not-ready and unreachable. */
  tolerationSeconds?: number;
  /** Kubernetes: the Deployment's progressDeadlineSeconds (default 30: a stalled rollout shows soon). */
  progressDeadlineSeconds?: number;
  /** Kubernetes: a preStop sleep, so a terminating pod keeps answering until the Service no longer sends it requests. */
  preStopSleepSeconds?: number;
  /** Kubernetes namespace (created when missing, and then deleted by teardown). */
  namespace?: string;
  /** Per instance: Docker NanoCpus / Memory; Kubernetes requests = limits. */
  resources?: { cpu?: CpuQuantity; memory?: MemoryQuantity };
  /** Kubernetes: a HorizontalPodAutoscaler on CPU (cpuPercent of the request); Docker: reported, nothing else. */
  autoscale?: { min: number; max: number; cpuPercent: number };
  /** Kubernetes: spread the pods over the nodes (topologySpreadConstraints); default true. */
  spread?: boolean;
  /** For messages: how a person removes what is left, e.g. "rebound teardown experiments/web.yaml --target docker". */
  teardownCommand?: string;
}

/** What an earlier deploy left on the engine, found by the deploy's label (rebound teardown). */
export interface DeploymentSearch {
  /** What is there, e.g. ["web-0", "web-1"] or ["Service web", "Deployment web", "namespace demo"]; empty: nothing. */
  found: string[];
  /** Where rebound looked, for "nothing to remove (no …)": e.g. "container labelled rebound.dev/deploy=web". */
  lookedFor: string;
}

/** What `deploy` created. */
export interface DeployedSystem {
  /** e.g. "3 containers web-0..2 of rebound/demo-app:v1, restart always, 127.0.0.1:18090-18092". */
  description: string;
  /**
   * Back to the deployed state before the next iteration: every replica there, running and ready,
   * nothing extra (stopped containers started, paused ones unpaused, missing ones re-created,
   * the Deployment's replicas reset). Waits up to timeoutMs, then throws EnvironmentError.
   */
  restore(options: { timeoutMs: number; signal?: AbortSignal }): Promise<void>;
  /** Removes everything deploy created; safe to call more than once. */
  teardown(): Promise<RollbackOutcome>;
}

/** A load to run inside the cluster (load.in: cluster), with what its safety check and labels need. */
export interface ClusterLoadRequest extends LoadRequest {
  /** The rebound image the workers run. */
  image: string;
  /** The run's journal id: the load's Job carries it, so `rebound recover` finds it after a kill -9. */
  runId: string;
  /** The experiment's name: the Job carries it, so `rebound teardown` finds it. */
  experiment: string;
  /** The system under test: the Service the load goes to must select its pods and nothing else. */
  selector: Selector;
  /** Told how to undo the load before it is created, and when it is gone: the run journals both. */
  onCreated?(undo: ClusterLoadUndo, description: string): void;
  onRemoved?(outcome: RollbackOutcome): void;
  /** Each bucket's raw latencies from the workers (--raw-samples): tests compare them with the merged histograms. */
  onRawSamples?(worker: number, key: number, latenciesMs: readonly number[]): void;
}

export interface Target {
  readonly kind: TargetKind;
  /** e.g. "Docker 20.10.24 (unix:///var/run/docker.sock)". */
  describe(): Promise<string>;
  /** Throws EnvironmentError (exit 3) when the engine does not answer. */
  check(): Promise<void>;
  discover(selector: Selector): Promise<Discovery>;
  /** Streams what happens to the selected instances and hosts into the timeline until stopped. */
  observe(selector: Selector, timeline: TimelineWriter, options: ObserveOptions): Promise<Observation>;
  /**
   * Does the fault; the handle's rollback undoes it. Throws if the fault is not supported here.
   * `run.record` journals what it learns before each step that needs undoing.
   */
  inject(fault: PlannedFault, run: InjectionRun): Promise<FaultHandle>;
  /** What will be undone, known before the fault acts (journalled first). Throws UsageError when the target cannot do the fault. */
  planUndo(fault: PlannedFault, selector: Selector): FaultUndo;
  /**
   * Gets a fault ready ahead of its instant without touching the system (helpers started armed);
   * undefined when the fault has nothing to prepare. A rejection only means `inject` starts from scratch.
   */
  prepare?(fault: PlannedFault, selector: Selector): Promise<Preparation | undefined>;
  /**
   * Creates the system under test and waits until every replica is ready (up to timeoutMs, then
   * EnvironmentError). Whatever was created before a failure is removed before throwing.
   */
  deploy(spec: DeploymentSpec, options: { timeoutMs: number; signal?: AbortSignal }): Promise<DeployedSystem>;
  /** What an earlier deploy of `name` left behind (only what carries its label); reads, touches nothing. */
  findDeployment(spec: Pick<DeploymentSpec, 'name' | 'namespace'>): Promise<DeploymentSearch>;
  /** Removes what an earlier deploy of `name` left behind (a run killed with -9): rebound teardown. */
  removeDeployment(spec: Pick<DeploymentSpec, 'name' | 'namespace'>): Promise<RollbackOutcome>;
  /** Undoes a journal record left by a run that died (rebound recover). */
  undo(undo: FaultUndo): Promise<RollbackOutcome>;
  /**
   * Environment for the experiment's setup/teardown commands, so that they act on what rebound
   * acts on (Kubernetes: a KUBECONFIG whose current context is the one in use). Removed by close().
   */
  commandEnvironment?(): Record<string, string>;
  /**
   * Before another iteration of a system rebound did not deploy (setup commands made it): the
   * selected instances that an earlier crash left marked (Kubernetes: pods whose containers were
   * restarted, now under the kubelet's crash back-off) are replaced. Returns what was replaced.
   */
  replaceRestarted?(selector: Selector): Promise<string[]>;
  /**
   * Runs the experiment's load inside the cluster (load.in: cluster); absent where there is none
   * (Docker). Returns at once; stop() ends the load and removes what it created. Failures become
   * timeline notes and missing workers, never a throw.
   */
  startClusterLoad?(request: ClusterLoadRequest, timeline: TimelineWriter): RunningTraffic;
  /** Removes the cluster load a dead run left (its journal's record): rebound recover. */
  undoClusterLoad?(undo: ClusterLoadUndo): Promise<RollbackOutcome>;
  close(): Promise<void>;
}
