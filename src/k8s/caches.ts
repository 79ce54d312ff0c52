import type { KubeConfig, KubernetesObject, V1Deployment, V1Pod, V1StatefulSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { BOLT_BUDGET, GROUP, NEO4J_INSTANCE, VERSION } from '../api/group.ts';
import type { BoltBudgetObject, Neo4jInstanceObject } from '../api/resources.ts';
import { slimAutoscaler, slimCustom, slimDeployment, slimPod, slimStatefulSet } from './slim.ts';
import { WatchedCache, type Slimmer, type WatchSource } from './watched-cache.ts';

export type InstanceResource = Neo4jInstanceObject & KubernetesObject;
export type BudgetResource = BoltBudgetObject & KubernetesObject;

/** The shared caches the controllers read from. */
export interface Caches {
  instances: WatchedCache<InstanceResource>;
  budgets: WatchedCache<BudgetResource>;
  deployments: WatchedCache<V1Deployment>;
  statefulSets: WatchedCache<V1StatefulSet>;
  autoscalers: WatchedCache<V2HorizontalPodAutoscaler>;
  /** Pods, for their IPs: live connections are attributed to workloads by client address. */
  pods: WatchedCache<V1Pod>;
}

/**
 * A cache over one list+watch for the whole cluster, or one per namespace when the operator is limited to
 * some. Each lists its path in pages and keeps only the slimmed objects (src/k8s/paged-list.ts).
 */
function namespacedCache<T extends KubernetesObject>(kc: KubeConfig, log: Logger, namespaces: readonly string[], apiPath: string, resource: string, slim: Slimmer<T>): WatchedCache<T> {
  const sources: WatchSource<T>[] =
    namespaces.length === 0 ? [{ path: `${apiPath}/${resource}` }] : namespaces.map((namespace) => ({ path: `${apiPath}/namespaces/${namespace}/${resource}` }));
  return new WatchedCache<T>(resource, kc, sources, log, slim);
}

export function createCaches(kc: KubeConfig, namespaces: readonly string[], log: Logger): Caches {
  const crdPath = `/apis/${GROUP}/${VERSION}`;
  return {
    instances: new WatchedCache<InstanceResource>(NEO4J_INSTANCE.plural, kc, [{ path: `${crdPath}/${NEO4J_INSTANCE.plural}` }], log, slimCustom),
    budgets: namespacedCache<BudgetResource>(kc, log, namespaces, crdPath, BOLT_BUDGET.plural, slimCustom),
    deployments: namespacedCache<V1Deployment>(kc, log, namespaces, '/apis/apps/v1', 'deployments', slimDeployment),
    statefulSets: namespacedCache<V1StatefulSet>(kc, log, namespaces, '/apis/apps/v1', 'statefulsets', slimStatefulSet),
    autoscalers: namespacedCache<V2HorizontalPodAutoscaler>(kc, log, namespaces, '/apis/autoscaling/v2', 'horizontalpodautoscalers', slimAutoscaler),
    pods: namespacedCache<V1Pod>(kc, log, namespaces, '/api/v1', 'pods', slimPod),
  };
}

export function allCaches(caches: Caches): WatchedCache<KubernetesObject>[] {
  return Object.values(caches) as WatchedCache<KubernetesObject>[];
}
