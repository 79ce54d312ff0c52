import type { V1Deployment, V1Pod, V1StatefulSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { hpaTargets, type GatherSources } from '../../controller/gather.ts';
import type { BudgetResource, InstanceResource } from '../../k8s/caches.ts';
import { MemoryCache } from './memory-cache.ts';

/** The objects a plan adds up, as the cluster would hold them. */
export interface PlanObjects {
  instances: readonly InstanceResource[];
  budgets: readonly BudgetResource[];
  deployments: readonly V1Deployment[];
  statefulSets: readonly V1StatefulSet[];
  autoscalers: readonly V2HorizontalPodAutoscaler[];
}

/** The largest minReplicas of the HPAs in the namespace that target the workload (1 when an HPA leaves it unset). */
function hpaMinReplicas(autoscalers: readonly V2HorizontalPodAutoscaler[], namespace: string | undefined, kind: string, name: string): number | undefined {
  let min: number | undefined;
  for (const hpa of autoscalers) {
    if (hpa.metadata?.namespace !== namespace || !hpaTargets(hpa, kind, name)) continue;
    min = Math.max(min ?? 0, hpa.spec?.minReplicas ?? 1);
  }
  return min;
}

/**
 * A rendered workload without replicas runs what its HPA sets: at least the HPA's minReplicas. The
 * operator reads the cluster's object, where the API server defaulted replicas to 1 and the HPA then
 * raised it, so the plan's object carries that value; without an HPA it stays unset (the operator counts 1).
 */
function withHpaReplicas<T extends V1Deployment | V1StatefulSet>(workload: T, kind: 'Deployment' | 'StatefulSet', autoscalers: readonly V2HorizontalPodAutoscaler[]): T {
  if (workload.spec?.replicas !== undefined) return workload;
  const min = hpaMinReplicas(autoscalers, workload.metadata?.namespace, kind, workload.metadata?.name ?? '');
  if (min === undefined) return workload;
  return { ...workload, spec: { ...workload.spec, replicas: Math.max(min, 1) } };
}

/** In-memory read caches over the plan's objects, for the operator's own gather functions. */
export function memorySources(objects: PlanObjects): GatherSources {
  return {
    instances: new MemoryCache(objects.instances),
    budgets: new MemoryCache(objects.budgets),
    deployments: new MemoryCache(objects.deployments.map((d) => withHpaReplicas(d, 'Deployment', objects.autoscalers))),
    statefulSets: new MemoryCache(objects.statefulSets.map((s) => withHpaReplicas(s, 'StatefulSet', objects.autoscalers))),
    autoscalers: new MemoryCache(objects.autoscalers),
    pods: new MemoryCache<V1Pod>([]),
  };
}
