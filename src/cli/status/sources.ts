import { AppsV1Api, AutoscalingV2Api, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject, type V1Deployment, type V1StatefulSet, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { BOLT_BUDGET, GROUP, NEO4J_INSTANCE, VERSION } from '../../api/group.ts';
import type { BudgetResource, InstanceResource } from '../../k8s/caches.ts';
import type { ReadWhat } from './read-failure.ts';

/** Everything the tree is drawn from: plain objects as the API server returned them. */
export interface ClusterObjects {
  instances: readonly InstanceResource[];
  budgets: readonly BudgetResource[];
  deployments: readonly V1Deployment[];
  statefulSets: readonly V1StatefulSet[];
  autoscalers: readonly V2HorizontalPodAutoscaler[];
}

/** One resource to list (and watch): its API path, how to list it, and what to call it in a message. */
export interface StatusSource<T extends KubernetesObject> {
  what: ReadWhat;
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
}

export type StatusSources = { [K in keyof ClusterObjects]: StatusSource<ClusterObjects[K][number]> };

/**
 * The five reads: every Neo4jInstance (cluster-scoped: a budget in the namespace may name any of them),
 * and the BoltBudgets, Deployments, StatefulSets and HPAs of the namespace (or of all with -A).
 */
export function statusSources(kc: KubeConfig, namespace: string | undefined): StatusSources {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const apps = kc.makeApiClient(AppsV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  const crd = { group: GROUP, version: VERSION };
  const crdPath = `/apis/${GROUP}/${VERSION}`;
  const scoped = (apiPath: string, plural: string): string => (namespace === undefined ? `${apiPath}/${plural}` : `${apiPath}/namespaces/${namespace}/${plural}`);
  const what = (resource: string, custom: boolean, scopedRead = true): ReadWhat => ({ verb: 'list', resource, namespace: scopedRead ? namespace : undefined, custom });
  return {
    instances: {
      what: what(`${NEO4J_INSTANCE.plural}.${GROUP}`, true, false),
      path: `${crdPath}/${NEO4J_INSTANCE.plural}`,
      list: () => custom.listClusterCustomObject({ ...crd, plural: NEO4J_INSTANCE.plural }) as Promise<KubernetesListObject<InstanceResource>>,
    },
    budgets: {
      what: what(`${BOLT_BUDGET.plural}.${GROUP}`, true),
      path: scoped(crdPath, BOLT_BUDGET.plural),
      list: () =>
        (namespace === undefined
          ? custom.listCustomObjectForAllNamespaces({ ...crd, resourcePlural: BOLT_BUDGET.plural })
          : custom.listNamespacedCustomObject({ ...crd, namespace, plural: BOLT_BUDGET.plural })) as Promise<KubernetesListObject<BudgetResource>>,
    },
    deployments: {
      what: what('deployments.apps', false),
      path: scoped('/apis/apps/v1', 'deployments'),
      list: () => (namespace === undefined ? apps.listDeploymentForAllNamespaces() : apps.listNamespacedDeployment({ namespace })),
    },
    statefulSets: {
      what: what('statefulsets.apps', false),
      path: scoped('/apis/apps/v1', 'statefulsets'),
      list: () => (namespace === undefined ? apps.listStatefulSetForAllNamespaces() : apps.listNamespacedStatefulSet({ namespace })),
    },
    autoscalers: {
      what: what('horizontalpodautoscalers.autoscaling', false),
      path: scoped('/apis/autoscaling/v2', 'horizontalpodautoscalers'),
      list: () => (namespace === undefined ? autoscaling.listHorizontalPodAutoscalerForAllNamespaces() : autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })),
    },
  };
}
