import type { V1Deployment, V1LabelSelector, V1Pod, V1StatefulSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { boltBudgetSpec, type BoltBudgetSpec, type WorkloadSpec } from '../api/bolt-budget.ts';
import { neo4jInstanceSpec, type Neo4jInstanceSpec } from '../api/neo4j-instance.ts';
import { parseSpec, type Parsed } from '../api/parse-spec.ts';
import type { WorkloadFacts } from '../budget/workload-row.ts';
import type { BudgetResource, InstanceResource } from '../k8s/caches.ts';
import { matchesSelector } from '../k8s/label-selector.ts';
import type { ReadCache } from '../k8s/watched-cache.ts';
import { workloadKey, type BudgetFacts, type InstanceFacts } from './facts.ts';
import { writtenKey, type WrittenObjects } from './budget/written-objects.ts';
import { BY_INSTANCE, BY_SCALE_TARGET, lookup, scaleTargetKey } from './index-names.ts';

/** The caches a gather reads; every object in them is shared and read-only. */
export interface GatherSources {
  instances: ReadCache<InstanceResource>;
  budgets: ReadCache<BudgetResource>;
  deployments: ReadCache<V1Deployment>;
  statefulSets: ReadCache<V1StatefulSet>;
  autoscalers: ReadCache<V2HorizontalPodAutoscaler>;
  pods: ReadCache<V1Pod>;
  /** Workload changes this process wrote that the caches may not show yet. */
  written?: WrittenObjects;
}

/**
 * Specs parsed once per object version: the informer replaces an object on every change, so the
 * object itself is the cache key and a changed object is parsed again.
 */
const parsedSpecs = new WeakMap<object, Parsed<unknown>>();
function parsedOnce<T>(object: object, parse: () => Parsed<T>): Parsed<T> {
  let parsed = parsedSpecs.get(object) as Parsed<T> | undefined;
  if (!parsed) {
    parsed = parse();
    parsedSpecs.set(object, parsed);
  }
  return parsed;
}

export function budgetSpecOf(budget: BudgetResource): Parsed<BoltBudgetSpec> {
  return parsedOnce(budget, () => parseSpec(boltBudgetSpec, budget.spec));
}

export function instanceSpecOf(instance: InstanceResource): Parsed<Neo4jInstanceSpec> {
  return parsedOnce(instance, () => parseSpec(neo4jInstanceSpec, instance.spec));
}

/** The instance a budget names, or undefined when its spec cannot be read. */
export function instanceNameOf(budget: BudgetResource): string | undefined {
  const spec = budgetSpecOf(budget);
  return spec.ok ? spec.value.instanceRef.name : undefined;
}

/** Whether an HPA scales this workload: same kind and name, and an apps/ target when it names a group. */
export function hpaTargets(hpa: Readonly<V2HorizontalPodAutoscaler>, kind: string, name: string): boolean {
  const target = hpa.spec?.scaleTargetRef;
  if (target?.kind !== kind || target.name !== name) return false;
  return !target.apiVersion || target.apiVersion.startsWith('apps/');
}

/** The largest maxReplicas of the autoscaling/v2 HPAs in the namespace that target the workload. */
function hpaMaxReplicas(sources: GatherSources, namespace: string, workload: Pick<WorkloadSpec, 'kind' | 'name'>): number | undefined {
  let max: number | undefined;
  const targets = (hpa: Readonly<V2HorizontalPodAutoscaler>): boolean => hpaTargets(hpa, workload.kind, workload.name);
  for (const hpa of lookup(sources.autoscalers, BY_SCALE_TARGET, scaleTargetKey(namespace, workload.kind, workload.name), namespace, targets)) {
    if (!targets(hpa)) continue;
    max = Math.max(max ?? 0, hpa.spec?.maxReplicas ?? 0);
  }
  return max;
}

/**
 * A workload from the caches with its replicas, preferring what this process wrote when the cache has
 * not caught up with it yet.
 */
export function liveObject(sources: GatherSources, namespace: string, kind: 'Deployment' | 'StatefulSet', name: string): { object: V1Deployment | V1StatefulSet; replicas: number } | undefined {
  const object = kind === 'Deployment' ? sources.deployments.get(name, namespace) : sources.statefulSets.get(name, namespace);
  if (!object) return undefined;
  const own = sources.written?.pending(writtenKey(kind, namespace, name), object.metadata?.resourceVersion);
  return { object, replicas: own?.replicas ?? object.spec?.replicas ?? 1 };
}

function workloadFacts(sources: GatherSources, namespace: string, workload: WorkloadSpec): WorkloadFacts {
  const base = { kind: workload.kind, name: workload.name, poolSize: workload.poolSize, ...(workload.replicas === undefined ? {} : { declaredReplicas: workload.replicas }) };
  const hpaMax = hpaMaxReplicas(sources, namespace, workload);
  const withHpa = hpaMax === undefined ? base : { ...base, hpaMaxReplicas: hpaMax };
  const live = liveObject(sources, namespace, workload.kind, workload.name);
  if (!live) return withHpa;
  if (workload.kind === 'StatefulSet') return { ...withHpa, live: { replicas: live.replicas, strategy: { kind: 'StatefulSet' } } };
  const spec = live.object.spec;
  const strategy = spec && 'strategy' in spec ? spec.strategy : undefined;
  return {
    ...withHpa,
    live: {
      replicas: live.replicas,
      strategy: { kind: 'Deployment', ...(strategy?.type ? { type: strategy.type } : {}), ...(strategy?.rollingUpdate?.maxSurge === undefined ? {} : { maxSurge: strategy.rollingUpdate.maxSurge }) },
    },
  };
}

/** What a budget's facts read besides the budget object: its namespace's workloads and HPAs, and this process's writes. */
type ReadStamp = readonly [deployments: number, statefulSets: number, autoscalers: number, written: number];

function readStamp(sources: GatherSources, namespace: string): ReadStamp | undefined {
  const { deployments, statefulSets, autoscalers } = sources;
  if (!deployments.changesIn || !statefulSets.changesIn || !autoscalers.changesIn) return undefined;
  return [deployments.changesIn(namespace), statefulSets.changesIn(namespace), autoscalers.changesIn(namespace), sources.written?.version ?? 0];
}

const sameStamp = (a: ReadStamp, b: ReadStamp): boolean => a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/**
 * Facts kept per budget object (replaced on every change of the budget) while nothing else they read
 * changed: every budget reconcile reads all its instance's budgets, 100 siblings with 5 workloads each.
 */
const factsKept = new WeakMap<GatherSources, WeakMap<BudgetResource, { stamp: ReadStamp; facts: BudgetFacts }>>();

/** A budget with its workloads' live facts, as the sums count them; shared, never mutate it. */
export function budgetFacts(sources: GatherSources, budget: BudgetResource): BudgetFacts {
  const stamp = readStamp(sources, budget.metadata?.namespace ?? '');
  if (!stamp) return readBudgetFacts(sources, budget);
  let kept = factsKept.get(sources);
  if (!kept) factsKept.set(sources, (kept = new WeakMap()));
  const entry = kept.get(budget);
  if (entry && sameStamp(entry.stamp, stamp)) return entry.facts;
  const facts = readBudgetFacts(sources, budget);
  kept.set(budget, { stamp, facts });
  return facts;
}

function readBudgetFacts(sources: GatherSources, budget: BudgetResource): BudgetFacts {
  const namespace = budget.metadata?.namespace ?? '';
  const spec = budgetSpecOf(budget);
  return {
    namespace,
    name: budget.metadata?.name ?? '',
    uid: budget.metadata?.uid ?? '',
    generation: budget.metadata?.generation ?? 0,
    spec,
    workloads: spec.ok ? spec.value.workloads.map((workload) => workloadFacts(sources, namespace, workload)) : [],
    ...(budget.status ? { status: budget.status } : {}),
  };
}

export function instanceFacts(instance: InstanceResource): InstanceFacts {
  return {
    name: instance.metadata?.name ?? '',
    uid: instance.metadata?.uid ?? '',
    generation: instance.metadata?.generation ?? 0,
    spec: instanceSpecOf(instance),
    ...(instance.status ? { status: instance.status } : {}),
  };
}

/** Every budget, in every watched namespace, that names the instance (budgets being deleted no longer count). */
export function budgetsNaming(sources: GatherSources, instanceName: string): BudgetResource[] {
  return lookup(sources.budgets, BY_INSTANCE, instanceName, undefined, (budget) => instanceNameOf(budget) === instanceName).filter((budget) => !budget.metadata?.deletionTimestamp);
}

/** A workload as attribution sees it: the IPs of its pods and its user-agent glob. */
export interface AttributionTarget {
  key: string;
  podIps: ReadonlySet<string>;
  userAgent?: string;
}

function podIps(sources: GatherSources, namespace: string, selector: V1LabelSelector | undefined): Set<string> {
  const ips = new Set<string>();
  for (const pod of sources.pods.list(namespace)) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    if (!matchesSelector(selector, pod.metadata?.labels)) continue;
    for (const entry of pod.status?.podIPs ?? []) if (entry.ip) ips.add(entry.ip);
    if (pod.status?.podIP) ips.add(pod.status.podIP);
  }
  return ips;
}

/** Every workload of every budget naming the instance, in a stable order, for attributing live connections. */
export function attributionTargets(sources: GatherSources, instanceName: string): AttributionTarget[] {
  const budgets = budgetsNaming(sources, instanceName).sort((a, b) =>
    `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`),
  );
  const targets: AttributionTarget[] = [];
  for (const budget of budgets) {
    const spec = budgetSpecOf(budget);
    if (!spec.ok) continue;
    const namespace = budget.metadata?.namespace ?? '';
    for (const workload of spec.value.workloads) {
      const live = workload.kind === 'Deployment' ? sources.deployments.get(workload.name, namespace) : sources.statefulSets.get(workload.name, namespace);
      targets.push({
        key: workloadKey(namespace, workload.kind, workload.name),
        podIps: podIps(sources, namespace, live?.spec?.selector),
        ...(workload.userAgent ? { userAgent: workload.userAgent } : {}),
      });
    }
  }
  return targets;
}
