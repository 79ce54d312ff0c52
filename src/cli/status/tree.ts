import type { BoltBudgetStatus, WorkloadStatus } from '../../api/bolt-budget.ts';
import type { Neo4jInstanceStatus } from '../../api/neo4j-instance.ts';
import { budgetSpecOf, hpaTargets, instanceSpecOf } from '../../controller/gather.ts';
import type { BudgetResource, InstanceResource } from '../../k8s/caches.ts';
import type { ClusterObjects } from './sources.ts';

/** A workload as it is now in the cluster, next to what the budget's status says about it. */
export interface LiveWorkload {
  found: boolean;
  /** spec.replicas of the Deployment or StatefulSet (1 when unset), when found. */
  replicas?: number;
  /** The autoscaling/v2 HPA whose scaleTargetRef names it, if any. */
  autoscaler?: { name: string; minReplicas?: number; maxReplicas: number };
}

export interface WorkloadNode {
  kind: string;
  name: string;
  /** What the operator wrote for it (undefined before its first reconcile). */
  status?: WorkloadStatus;
  live: LiveWorkload;
}

export interface BudgetNode {
  namespace: string;
  name: string;
  /** spec.instanceRef.name, when the spec names one. */
  instance: string | undefined;
  enforcement: string | undefined;
  generation: number | undefined;
  status: BoltBudgetStatus | undefined;
  workloads: WorkloadNode[];
}

export interface InstanceLimits {
  connectionLimit: number;
  bufferPercent: number;
  warningPercent: number;
  criticalPercent: number;
}

export interface InstanceNode {
  name: string;
  generation: number | undefined;
  /** From the spec (defaults applied); undefined when the spec does not parse. */
  limits: InstanceLimits | undefined;
  status: Neo4jInstanceStatus | undefined;
  budgets: BudgetNode[];
}

/** The tree `status` shows: instance -> budgets -> workloads, plus budgets whose instance does not exist. */
export interface StatusTree {
  /** The namespace shown, or undefined for all. */
  namespace: string | undefined;
  instances: InstanceNode[];
  orphans: BudgetNode[];
}

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
const byNamespaceName = (a: BudgetNode, b: BudgetNode): number => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

function limitsOf(instance: InstanceResource): InstanceLimits | undefined {
  // The operator's parse, once per object version: a --watch redraw does not parse every spec again.
  const parsed = instanceSpecOf(instance);
  if (!parsed.ok) return undefined;
  const { connectionLimit, bufferPercent, warningPercent, criticalPercent } = parsed.value;
  return { connectionLimit, bufferPercent, warningPercent, criticalPercent };
}

function autoscalerFor(objects: ClusterObjects, namespace: string, kind: string, name: string): LiveWorkload['autoscaler'] {
  const found = objects.autoscalers
    .filter((hpa) => hpa.metadata?.namespace === namespace && hpaTargets(hpa, kind, name))
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
  if (!found) return undefined;
  return { name: found.metadata?.name ?? '', ...(found.spec.minReplicas === undefined ? {} : { minReplicas: found.spec.minReplicas }), maxReplicas: found.spec.maxReplicas };
}

function liveWorkload(objects: ClusterObjects, namespace: string, kind: string, name: string): LiveWorkload {
  const list = kind === 'Deployment' ? objects.deployments : kind === 'StatefulSet' ? objects.statefulSets : [];
  const object = list.find((item) => item.metadata?.namespace === namespace && item.metadata.name === name);
  if (!object) return { found: false };
  const autoscaler = autoscalerFor(objects, namespace, kind, name);
  return { found: true, replicas: object.spec?.replicas ?? 1, ...(autoscaler ? { autoscaler } : {}) };
}

/** The spec's workloads in their order, then any the status still lists (a spec the operator could not read). */
function budgetNode(objects: ClusterObjects, budget: BudgetResource): BudgetNode {
  const namespace = budget.metadata?.namespace ?? '';
  const parsed = budgetSpecOf(budget);
  const rawRef = (budget.spec as { instanceRef?: { name?: unknown } } | undefined)?.instanceRef?.name;
  const status = budget.status;
  const declared = parsed.ok ? parsed.value.workloads.map((w) => ({ kind: w.kind, name: w.name })) : [];
  const written = (status?.workloads ?? []).filter((w) => !declared.some((d) => d.kind === w.kind && d.name === w.name));
  const workloads = [...declared, ...written].map(({ kind, name }): WorkloadNode => {
    const workloadStatus = status?.workloads?.find((w) => w.kind === kind && w.name === name);
    return { kind, name, ...(workloadStatus ? { status: workloadStatus } : {}), live: liveWorkload(objects, namespace, kind, name) };
  });
  return {
    namespace,
    name: budget.metadata?.name ?? '',
    instance: parsed.ok ? parsed.value.instanceRef.name : typeof rawRef === 'string' ? rawRef : undefined,
    enforcement: parsed.ok ? parsed.value.enforcement : undefined,
    generation: budget.metadata?.generation,
    status,
    workloads,
  };
}

/**
 * Groups the objects into the tree. With a namespace, only its budgets are shown, under every instance
 * they name; with all namespaces, every instance is shown, with or without budgets.
 */
export function buildTree(objects: ClusterObjects, namespace: string | undefined): StatusTree {
  const budgets = objects.budgets.filter((b) => namespace === undefined || b.metadata?.namespace === namespace).map((b) => budgetNode(objects, b));
  const names = new Set(objects.instances.map((i) => i.metadata?.name ?? ''));
  const instances = objects.instances
    .map((instance): InstanceNode => {
      const name = instance.metadata?.name ?? '';
      return { name, generation: instance.metadata?.generation, limits: limitsOf(instance), status: instance.status, budgets: budgets.filter((b) => b.instance === name).sort(byNamespaceName) };
    })
    .filter((instance) => namespace === undefined || instance.budgets.length > 0)
    .sort(byName);
  const orphans = budgets.filter((b) => b.instance === undefined || !names.has(b.instance)).sort(byNamespaceName);
  return { namespace, instances, orphans };
}
