import { AppsV1Api, AutoscalingV2Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject, type V1Deployment, type V1Pod, type V1StatefulSet, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
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

/** A cache over one list+watch for the whole cluster, or one per namespace when the operator is limited to some. */
function namespacedCache<T extends KubernetesObject>(
  kc: KubeConfig,
  log: Logger,
  namespaces: readonly string[],
  apiPath: string,
  resource: string,
  listAll: () => Promise<KubernetesListObject<T>>,
  listIn: (namespace: string) => Promise<KubernetesListObject<T>>,
  slim: Slimmer<T>,
): WatchedCache<T> {
  const sources: WatchSource<T>[] =
    namespaces.length === 0
      ? [{ path: `${apiPath}/${resource}`, list: listAll }]
      : namespaces.map((namespace) => ({ path: `${apiPath}/namespaces/${namespace}/${resource}`, list: () => listIn(namespace) }));
  return new WatchedCache<T>(resource, kc, sources, log, slim);
}

export function createCaches(kc: KubeConfig, namespaces: readonly string[], log: Logger): Caches {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const apps = kc.makeApiClient(AppsV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  const core = kc.makeApiClient(CoreV1Api);
  const crdPath = `/apis/${GROUP}/${VERSION}`;
  const crd = { group: GROUP, version: VERSION };
  return {
    instances: new WatchedCache<InstanceResource>(
      NEO4J_INSTANCE.plural,
      kc,
      [{ path: `${crdPath}/${NEO4J_INSTANCE.plural}`, list: () => custom.listClusterCustomObject({ ...crd, plural: NEO4J_INSTANCE.plural }) as Promise<KubernetesListObject<InstanceResource>> }],
      log,
      slimCustom,
    ),
    budgets: namespacedCache<BudgetResource>(
      kc, log, namespaces, crdPath, BOLT_BUDGET.plural,
      () => custom.listCustomObjectForAllNamespaces({ ...crd, resourcePlural: BOLT_BUDGET.plural }) as Promise<KubernetesListObject<BudgetResource>>,
      (namespace) => custom.listNamespacedCustomObject({ ...crd, namespace, plural: BOLT_BUDGET.plural }) as Promise<KubernetesListObject<BudgetResource>>,
      slimCustom,
    ),
    deployments: namespacedCache<V1Deployment>(kc, log, namespaces, '/apis/apps/v1', 'deployments', () => apps.listDeploymentForAllNamespaces(), (namespace) => apps.listNamespacedDeployment({ namespace }), slimDeployment),
    statefulSets: namespacedCache<V1StatefulSet>(kc, log, namespaces, '/apis/apps/v1', 'statefulsets', () => apps.listStatefulSetForAllNamespaces(), (namespace) => apps.listNamespacedStatefulSet({ namespace }), slimStatefulSet),
    autoscalers: namespacedCache<V2HorizontalPodAutoscaler>(
      kc, log, namespaces, '/apis/autoscaling/v2', 'horizontalpodautoscalers',
      () => autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
      (namespace) => autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
      slimAutoscaler,
    ),
    pods: namespacedCache<V1Pod>(kc, log, namespaces, '/api/v1', 'pods', () => core.listPodForAllNamespaces(), (namespace) => core.listNamespacedPod({ namespace }), slimPod),
  };
}

export function allCaches(caches: Caches): WatchedCache<KubernetesObject>[] {
  return Object.values(caches) as WatchedCache<KubernetesObject>[];
}
