import { ApiException, CoreV1Api, CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import type { BoltBudgetStatus } from '../../src/api/bolt-budget.ts';
import type { Neo4jInstanceStatus } from '../../src/api/neo4j-instance.ts';
import { testKubeConfig } from './kube.ts';

type Spec = Record<string, unknown>;

export function deployment(namespace: string, name: string, replicas: number, strategy?: Record<string, unknown>): KubernetesObject & { spec: Spec } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      ...(strategy ? { strategy } : {}),
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `registry.example/${name}:1` }] } },
    },
  };
}

export function statefulSet(namespace: string, name: string, replicas: number): KubernetesObject & { spec: Spec } {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `registry.example/${name}:1` }] } },
    },
  };
}

export function autoscaler(namespace: string, name: string, target: string, maxReplicas: number): KubernetesObject & { spec: Spec } {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas },
  };
}

export function neo4jInstance(name: string, spec: Spec): KubernetesObject & { spec: Spec } {
  return { apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name }, spec };
}

export function boltBudget(namespace: string, name: string, spec: Spec): KubernetesObject & { spec: Spec } {
  return { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name, namespace }, spec };
}

export async function createNamespace(name: string): Promise<void> {
  await testKubeConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
}

const custom = (): CustomObjectsApi => testKubeConfig().makeApiClient(CustomObjectsApi);

export async function instanceStatus(name: string): Promise<Neo4jInstanceStatus | undefined> {
  const object = (await custom().getClusterCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', plural: 'neo4jinstances', name })) as { status?: Neo4jInstanceStatus };
  return object.status;
}

export async function budgetStatus(namespace: string, name: string): Promise<BoltBudgetStatus | undefined> {
  const object = (await custom().getNamespacedCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', namespace, plural: 'boltbudgets', name })) as { status?: BoltBudgetStatus };
  return object.status;
}

export async function budgetFinalizers(namespace: string, name: string): Promise<string[]> {
  const object = (await custom().getNamespacedCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', namespace, plural: 'boltbudgets', name })) as { metadata: { finalizers?: string[] } };
  return object.metadata.finalizers ?? [];
}

export async function resourceVersionOf(group: 'instance' | 'budget', name: string, namespace = ''): Promise<string> {
  const api = custom();
  const object = (
    group === 'instance'
      ? await api.getClusterCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', plural: 'neo4jinstances', name })
      : await api.getNamespacedCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', namespace, plural: 'boltbudgets', name })
  ) as { metadata: { resourceVersion: string } };
  return object.metadata.resourceVersion;
}

/**
 * Deletes a budget and waits until it is gone: an operator still running gives back what the budget
 * changed and lets go of its finalizer (stop the operator only after this, or the next suite inherits it).
 */
export async function deleteBudgetAndWait(namespace: string, name: string, timeoutMs = 30_000): Promise<void> {
  await custom().deleteNamespacedCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', namespace, plural: 'boltbudgets', name }).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const present = await budgetStatus(namespace, name).then(
      () => true,
      (error: unknown) => {
        if (isNotFound(error)) return false;
        throw error;
      },
    );
    if (!present) return;
    if (Date.now() > deadline) throw new Error(`BoltBudget ${namespace}/${name} still there ${timeoutMs} ms after its deletion (its finalizer was not removed)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

export interface RecordedEvent {
  reason: string;
  type: string;
  note: string;
  regarding: { kind: string; name: string; namespace?: string };
  reportingController: string;
}

/** The operator's events about one object, oldest first. */
export async function eventsAbout(kind: string, name: string, namespace: string): Promise<RecordedEvent[]> {
  const { EventsV1Api } = await import('@kubernetes/client-node');
  const list = await testKubeConfig().makeApiClient(EventsV1Api).listNamespacedEvent({ namespace });
  return list.items
    .filter((event) => event.regarding?.kind === kind && event.regarding.name === name && event.reportingController === 'boltbudget.io/operator')
    .sort((a, b) => new Date(a.eventTime ?? 0).getTime() - new Date(b.eventTime ?? 0).getTime())
    .map((event) => ({
      reason: event.reason ?? '',
      type: event.type ?? '',
      note: event.note ?? '',
      regarding: { kind: event.regarding?.kind ?? '', name: event.regarding?.name ?? '', ...(event.regarding?.namespace ? { namespace: event.regarding.namespace } : {}) },
      reportingController: event.reportingController ?? '',
    }));
}

/** The live object's replicas, annotations and generation (for checking what the operator changed). */
export async function workloadState(kind: 'Deployment' | 'StatefulSet', namespace: string, name: string): Promise<{ replicas: number; annotations: Record<string, string>; generation: number }> {
  const { AppsV1Api } = await import('@kubernetes/client-node');
  const apps = testKubeConfig().makeApiClient(AppsV1Api);
  const object = kind === 'Deployment' ? await apps.readNamespacedDeployment({ name, namespace }) : await apps.readNamespacedStatefulSet({ name, namespace });
  return { replicas: object.spec?.replicas ?? 1, annotations: object.metadata?.annotations ?? {}, generation: object.metadata?.generation ?? 0 };
}

export async function autoscalerState(namespace: string, name: string): Promise<{ maxReplicas: number; annotations: Record<string, string> }> {
  const { AutoscalingV2Api } = await import('@kubernetes/client-node');
  const hpa = await testKubeConfig().makeApiClient(AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({ name, namespace });
  return { maxReplicas: hpa.spec?.maxReplicas ?? 0, annotations: hpa.metadata?.annotations ?? {} };
}
