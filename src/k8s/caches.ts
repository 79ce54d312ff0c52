import { AppsV1Api, AutoscalingV2Api, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject, type V1Deployment, type V1StatefulSet, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { BOLT_BUDGET, GROUP, NEO4J_INSTANCE, VERSION } from '../api/group.ts';
import type { BoltBudgetObject, Neo4jInstanceObject } from '../api/resources.ts';
import { WatchedCache, type WatchSource } from './watched-cache.ts';

export type InstanceResource = Neo4jInstanceObject & KubernetesObject;
export type BudgetResource = BoltBudgetObject & KubernetesObject;

/** The shared caches the controllers read from. */
export interface Caches {
  instances: WatchedCache<InstanceResource>;
  budgets: WatchedCache<BudgetResource>;
  deployments: WatchedCache<V1Deployment>;
  statefulSets: WatchedCache<V1StatefulSet>;
  autoscalers: WatchedCache<V2HorizontalPodAutoscaler>;
}

/**
 * One list+watch for the whole cluster, or one per namespace when the operator is limited to some.
 */
function namespacedSources<T extends KubernetesObject>(
  namespaces: readonly string[],
  clusterPath: string,
  namespacedPath: (namespace: string) => string,
  listAll: () => Promise<KubernetesListObject<T>>,
  listIn: (namespace: string) => Promise<KubernetesListObject<T>>,
): WatchSource<T>[] {
  if (namespaces.length === 0) return [{ path: clusterPath, list: listAll }];
  return namespaces.map((namespace) => ({ path: namespacedPath(namespace), list: () => listIn(namespace) }));
}

export function createCaches(kc: KubeConfig, namespaces: readonly string[], log: Logger): Caches {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const apps = kc.makeApiClient(AppsV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  const crdBase = `/apis/${GROUP}/${VERSION}`;

  const instances = new WatchedCache<InstanceResource>(
    NEO4J_INSTANCE.plural,
    kc,
    [
      {
        path: `${crdBase}/${NEO4J_INSTANCE.plural}`,
        list: () => custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: NEO4J_INSTANCE.plural }) as Promise<KubernetesListObject<InstanceResource>>,
      },
    ],
    log,
  );
  const budgets = new WatchedCache<BudgetResource>(
    BOLT_BUDGET.plural,
    kc,
    namespacedSources(
      namespaces,
      `${crdBase}/${BOLT_BUDGET.plural}`,
      (namespace) => `${crdBase}/namespaces/${namespace}/${BOLT_BUDGET.plural}`,
      () => custom.listCustomObjectForAllNamespaces({ group: GROUP, version: VERSION, resourcePlural: BOLT_BUDGET.plural }) as Promise<KubernetesListObject<BudgetResource>>,
      (namespace) => custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: BOLT_BUDGET.plural }) as Promise<KubernetesListObject<BudgetResource>>,
    ),
    log,
  );
  const deployments = new WatchedCache<V1Deployment>(
    'deployments',
    kc,
    namespacedSources(
      namespaces,
      '/apis/apps/v1/deployments',
      (namespace) => `/apis/apps/v1/namespaces/${namespace}/deployments`,
      () => apps.listDeploymentForAllNamespaces(),
      (namespace) => apps.listNamespacedDeployment({ namespace }),
    ),
    log,
  );
  const statefulSets = new WatchedCache<V1StatefulSet>(
    'statefulsets',
    kc,
    namespacedSources(
      namespaces,
      '/apis/apps/v1/statefulsets',
      (namespace) => `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
      () => apps.listStatefulSetForAllNamespaces(),
      (namespace) => apps.listNamespacedStatefulSet({ namespace }),
    ),
    log,
  );
  const autoscalers = new WatchedCache<V2HorizontalPodAutoscaler>(
    'horizontalpodautoscalers',
    kc,
    namespacedSources(
      namespaces,
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      (namespace) => `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`,
      () => autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
      (namespace) => autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
    ),
    log,
  );
  return { instances, budgets, deployments, statefulSets, autoscalers };
}

export function allCaches(caches: Caches): WatchedCache<KubernetesObject>[] {
  return Object.values(caches) as WatchedCache<KubernetesObject>[];
}
