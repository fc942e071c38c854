import { UsageError } from '../common/errors.js';
import { chooseInstances, faultCatalog, type FaultModule, faultModule, type Selection, unsupportedReason } from '../faults/index.js';
import { guardsInWords } from '../safety/guards/describe-guards.js';
import { DEPLOY_LABEL, isOptedIn, OPT_IN_LABEL, OPT_IN_VALUE } from '../common/labels.js';
import type { Discovery, Host, Instance, PlannedFault, Selector, TargetKind } from '../targets/target.js';
import { deployFacts } from './deploy-facts.js';
import { networkPreview } from './network-preview.js';
import type { PlanSummary } from './plan-summary.js';
import { type PlannedLoad, planLoad } from './plan-load.js';
import type { Experiment } from '../experiments/schema.js';

/** When no `duration` is given: observe this long after the last fault (or its rollback). */
const DEFAULT_RECOVERY_WINDOW_MS = 30_000;

export type PlannedInjection = PlannedFault & {
  /** ms from run start. */
  at: number;
  actsOn: 'instances' | 'hosts' | 'system';
  /** Roll back this long after injecting; otherwise at the end of the run. */
  rollbackAfter?: number;
};

/** Everything a run needs, resolved against the live target but not yet applied (--dry-run prints it). */
export interface Plan {
  target: TargetKind;
  selector: Selector;
  desired: number;
  eligible: Instance[];
  injections: PlannedInjection[];
  durationMs: number;
  settleMs: number;
  /** until: recovered — observation may end early, once every fault recovered, but not before this. */
  endWhenRecovered?: { notBeforeMs: number };
  probeUrl?: string;
  /** Loopback url for a load started by a fault (spike-load). */
  loadUrl?: string;
  /** The experiment's `load`, as the run starts it (local or in the cluster). */
  load?: PlannedLoad;
  /** Instances a resource fault touches: the run samples their CPU and memory (the faults' samplesResources). */
  resourceSubjects?: string[];
  summary: PlanSummary;
}

/** Desired replicas when the experiment says so: system.replicas, else what it deploys. */
export function desiredOf(experiment: Experiment): number | undefined {
  return experiment.system.replicas ?? experiment.deploy?.replicas;
}


export function selectorOf(experiment: Experiment, target: TargetKind): Selector {
  const { system } = experiment;
  return {
    labels: experiment.deploy ? { ...system.selector, [DEPLOY_LABEL]: experiment.metadata.name } : system.selector,
    ...(system.name !== undefined && { name: system.name }),
    ...(system.service !== undefined && { service: system.service }),
    ...(system.project !== undefined && { project: system.project }),
    ...(target === 'kubernetes' && { namespace: experiment.kubernetes.namespace }),
    ...(system.owner !== undefined && { owner: system.owner }),
  };
}

export function urlOf(experiment: Experiment, target: TargetKind): string | undefined {
  const { url } = experiment.system;
  return (typeof url === 'string' ? url : url?.[target]) ?? deployedUrlOf(experiment, target);
}

/** Where a deployed system answers: replica 0's published port on Docker, the NodePort on Kubernetes. */
function deployedUrlOf(experiment: Experiment, target: TargetKind): string | undefined {
  const port = target === 'docker' ? experiment.deploy?.docker?.hostPort : experiment.deploy?.kubernetes?.nodePort;
  return port === undefined ? undefined : `http://127.0.0.1:${port}/`;
}

/** Why an instance may not be touched, or undefined when it may. */
function ineligibility(instance: Instance, experiment: Experiment): string | undefined {
  if (instance.protectedReason !== undefined && !instance.protectedReason.includes(OPT_IN_LABEL)) return instance.protectedReason;
  if (experiment.safety.optInLabel && !isOptedIn(instance.labels)) {
    return `no opt-in label ${OPT_IN_LABEL}=${OPT_IN_VALUE} (set safety.optInLabel: false to allow unlabelled instances)`;
  }
  return undefined;
}

/** Resolves who each fault touches and when. Pure: the discovery is passed in. */
export function planExperiment(experiment: Experiment, target: TargetKind, targetDescription: string, discovery: Discovery): Plan {
  const warnings: string[] = [];
  const eligible = discovery.instances.filter((instance) => ineligibility(instance, experiment) === undefined);
  const desired = desiredOf(experiment) ?? discovery.desired;
  const injections = experiment.faults.flatMap((fault, index) => planFault(experiment, target, index, fault, eligible, discovery.hosts));
  for (const injection of injections) {
    if (injection.actsOn === 'instances' && injection.subjects.length === 0) {
      warnings.push(
        discovery.instances.length === 0
          ? `fault ${injection.index} (${injection.name}) matches no instance: check system.selector`
          : `fault ${injection.index} (${injection.name}) touches none of the ${discovery.instances.length} matching instances: none is eligible (see the instances list)`,
      );
    }
  }
  const resourceSubjects = [...new Set(injections.filter((injection) => faultModule(injection.name).samplesResources === true).flatMap((injection) => injection.subjects))];
  const probeUrl = urlOf(experiment, target);
  if (probeUrl === undefined) warnings.push(`no system.url for ${target}: no traffic probe, so recovery is judged on replicas alone`);
  const lastEvent = Math.max(0, ...injections.map((injection) => injection.at + (injection.rollbackAfter ?? 0)));
  const load = planLoad(experiment, target, probeUrl, injections.filter((injection) => injection.actsOn === 'hosts').flatMap((injection) => injection.subjects));
  // A cluster load starts later (its pods start first): the run lasts until it is over.
  const loadEnd = experiment.load === undefined ? 0 : (load?.startAtMs ?? 0) + experiment.load.duration;
  const durationMs = experiment.duration ?? Math.max(loadEnd, lastEvent + DEFAULT_RECOVERY_WINDOW_MS);
  for (const injection of injections) {
    if (injection.at >= durationMs) warnings.push(`fault ${injection.index} (${injection.name}) at ${injection.at} ms is after the run ends (${durationMs} ms)`);
  }
  const selector = selectorOf(experiment, target);
  // Not before the last scheduled event: a timed fault is undone on time and the load runs its course.
  const endWhenRecovered = experiment.until === 'recovered' ? { notBeforeMs: Math.min(durationMs, Math.max(lastEvent, loadEnd)) } : undefined;
  const summary: PlanSummary = {
    target,
    targetDescription,
    desired,
    instances: discovery.instances.map((instance) => {
      const reason = ineligibility(instance, experiment);
      return { name: instance.name, ...(instance.host !== undefined && { host: instance.host }), ready: instance.ready, eligible: reason === undefined, ...(reason !== undefined && { reason }) };
    }),
    hosts: discovery.hosts.map((host) => ({ name: host.name, ...(host.role !== undefined && { role: host.role }), ready: host.ready })),
    faults: experiment.faults.map((fault, index) => {
      const mine = injections.filter((injection) => injection.index === index);
      const network = networkPreview(fault, eligible.find((instance) => instance.name === mine[0]?.subjects[0]));
      return {
        index,
        name: fault.name,
        at: mine.map((injection) => injection.at),
        subjects: mine[0]?.subjects ?? [],
        params: fault.params,
        ...(mine[0]?.rollbackAfter !== undefined && { rollbackAfter: mine[0].rollbackAfter }),
        ...(unsupportedReason(fault.name, target) !== undefined && { note: `not supported on ${target}: ${unsupportedReason(fault.name, target)}` }),
        ...(network !== undefined && { network }),
      };
    }),
    durationMs,
    settleMs: experiment.settle,
    ...(endWhenRecovered !== undefined && { endWhenRecovered }),
    ...(experiment.deploy !== undefined && { deploy: deployFacts(experiment.deploy, target) }),
    guards: guardsInWords(experiment.guards, injections.length > 0 ? Math.min(...injections.map((injection) => injection.at)) : undefined),
    ...(probeUrl !== undefined && { probe: { url: probeUrl, rate: experiment.probe.rate, timeoutMs: experiment.probe.timeout } }),
    ...(load !== undefined && {
      load: {
        url: load.url,
        profile: load.spec.profile,
        durationMs: load.spec.duration,
        ...(load.in === 'cluster' && { in: 'cluster' as const, workers: load.spec.workers ?? 1, startsAtMs: load.startAtMs ?? 0, ...(load.avoidNodes?.length ? { avoidNodes: load.avoidNodes } : {}) }),
      },
    }),
    warnings,
  };
  return {
    target,
    selector,
    desired,
    eligible,
    injections,
    durationMs,
    settleMs: experiment.settle,
    ...(endWhenRecovered !== undefined && { endWhenRecovered }),
    ...(probeUrl !== undefined && { probeUrl, loadUrl: probeUrl }),
    ...(load !== undefined && { load }),
    ...(resourceSubjects.length > 0 && { resourceSubjects }),
    summary,
  };
}

function planFault(
  experiment: Experiment,
  target: TargetKind,
  index: number,
  fault: Experiment['faults'][number],
  eligible: Instance[],
  hosts: Host[],
): PlannedInjection[] {
  const module: FaultModule = faultCatalog[fault.name];
  const reason = unsupportedReason(fault.name, target);
  if (reason !== undefined) {
    throw new UsageError(`fault ${index} (${fault.name}) is not supported on ${target}: ${reason}`, {
      hint: `remove it for this target, or run the experiment with --target ${target === 'docker' ? 'kubernetes' : 'docker'}`,
    });
  }
  const rollbackAfter = module.durationOf?.(fault.params);
  const subjects = subjectsOf(module.actsOn, fault.params, eligible, hosts, experiment.safety.maxInstances);
  return Array.from(
    { length: fault.repeat },
    (_, repetition) =>
      // The experiment's fault and the planned one carry the same (name, params) pair.
      ({
        index,
        repetition,
        name: fault.name,
        params: fault.params,
        subjects,
        at: fault.at + repetition * fault.interval,
        actsOn: module.actsOn,
        ...(rollbackAfter !== undefined && { rollbackAfter }),
      }) as PlannedInjection,
  );
}

function subjectsOf(
  actsOn: 'instances' | 'hosts' | 'system',
  params: object,
  eligible: Instance[],
  hosts: Host[],
  maxInstances: number | undefined,
): string[] {
  if (actsOn === 'system') return [];
  if (actsOn === 'hosts') return [chooseHost((params as { node?: string }).node, hosts)].filter((name): name is string => name !== undefined);
  const selection = params as Selection;
  const capped = maxInstances === undefined ? selection : { ...selection, max: Math.min(selection.max ?? Infinity, maxInstances) };
  return chooseInstances(capped, eligible).map((instance) => instance.name);
}

/** The named node, else the schedulable non-control-plane host running the most selected instances. */
export function chooseHost(node: string | undefined, hosts: readonly Host[]): string | undefined {
  if (node !== undefined) return node;
  const candidates = hosts.filter((host) => host.protectedReason === undefined && host.role !== 'control-plane');
  return [...candidates].sort((a, b) => b.instanceCount - a.instanceCount || a.name.localeCompare(b.name))[0]?.name;
}
