import type { KubernetesObject } from '@kubernetes/client-node';
import type { Caches } from '../k8s/caches.ts';
import type { ChangeKind } from '../k8s/watched-cache.ts';
import { budgetSpecOf, budgetsNaming, instanceNameOf } from './gather.ts';
import { budgetQueueKey, instanceKey } from './keys.ts';

type Enqueue = (key: string) => void;

const objectId = (object: KubernetesObject): string => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

/** metadata.generation where the API server keeps one; HPAs have none, so their spec stands in. */
function specVersion(object: KubernetesObject & { spec?: unknown }): string {
  const generation = object.metadata?.generation;
  const deleting = object.metadata?.deletionTimestamp ? '/deleting' : '';
  return (generation === undefined ? JSON.stringify(object.spec ?? null) : String(generation)) + deleting;
}

/**
 * Remembers the spec version last seen per object, so that status-only updates (ours, or a workload's
 * rollout progress) do not fan out: only spec changes, additions and deletions reach other objects.
 */
class GenerationMemory<Extra> {
  private readonly seen = new Map<string, { version: string; extra: Extra }>();

  /** Returns the previous extra value and whether the spec changed (or the object came or went). */
  note(object: KubernetesObject, change: ChangeKind, extra: Extra): { specChanged: boolean; previous: Extra | undefined } {
    const id = objectId(object);
    const before = this.seen.get(id);
    const version = specVersion(object);
    if (change === 'delete') this.seen.delete(id);
    else this.seen.set(id, { version, extra });
    const specChanged = change !== 'update' || before === undefined || before.version !== version;
    return { specChanged, previous: before?.extra };
  }
}

/** Connects cache changes to work-queue keys (DESIGN section 5, practice 8). */
/** The keys of an instance and of every budget naming it: what a change to its sums touches. */
export function instanceFamilyKeys(caches: Caches, instanceName: string): string[] {
  return [instanceKey(instanceName), ...budgetsNaming(caches, instanceName).map((budget) => budgetQueueKey(budget.metadata?.namespace ?? '', budget.metadata?.name ?? ''))];
}

export function wireTriggers(caches: Caches, enqueue: Enqueue): void {
  const enqueueInstanceFamily = (instanceName: string | undefined): void => {
    if (instanceName === undefined) return;
    for (const key of instanceFamilyKeys(caches, instanceName)) enqueue(key);
  };

  const enqueueWorkloadBudgets = (namespace: string, kind: string, name: string): void => {
    for (const budget of caches.budgets.list(namespace)) {
      const spec = budgetSpecOf(budget);
      if (!spec.ok || !spec.value.workloads.some((w) => w.kind === kind && w.name === name)) continue;
      enqueueInstanceFamily(spec.value.instanceRef.name);
    }
  };

  const instances = new GenerationMemory<undefined>();
  caches.instances.onChange((instance, change) => {
    const { specChanged } = instances.note(instance, change, undefined);
    const name = instance.metadata?.name ?? '';
    if (specChanged) enqueueInstanceFamily(name);
    else enqueue(instanceKey(name));
  });

  const budgets = new GenerationMemory<string | undefined>();
  caches.budgets.onChange((budget, change) => {
    const instanceName = instanceNameOf(budget);
    const { specChanged, previous } = budgets.note(budget, change, instanceName);
    enqueue(budgetQueueKey(budget.metadata?.namespace ?? '', budget.metadata?.name ?? ''));
    if (!specChanged) return;
    enqueueInstanceFamily(instanceName);
    if (previous !== instanceName) enqueueInstanceFamily(previous);
  });

  const workloadChanges = (kind: 'Deployment' | 'StatefulSet') => {
    const memory = new GenerationMemory<undefined>();
    return (workload: KubernetesObject, change: ChangeKind): void => {
      if (memory.note(workload, change, undefined).specChanged) enqueueWorkloadBudgets(workload.metadata?.namespace ?? '', kind, workload.metadata?.name ?? '');
    };
  };
  caches.deployments.onChange(workloadChanges('Deployment'));
  caches.statefulSets.onChange(workloadChanges('StatefulSet'));

  const autoscalers = new GenerationMemory<string>();
  caches.autoscalers.onChange((hpa, change) => {
    const target = `${hpa.spec?.scaleTargetRef.kind ?? ''}/${hpa.spec?.scaleTargetRef.name ?? ''}`;
    const { specChanged, previous } = autoscalers.note(hpa, change, target);
    if (!specChanged) return;
    const namespace = hpa.metadata?.namespace ?? '';
    for (const ref of new Set([target, previous ?? target])) {
      const [kind = '', name = ''] = ref.split('/');
      enqueueWorkloadBudgets(namespace, kind, name);
    }
  });
}

/** Every key the caches hold: what a leader enqueues when it starts and at each resync. */
export function allKeys(caches: Caches): string[] {
  return [
    ...caches.instances.list().map((instance) => instanceKey(instance.metadata?.name ?? '')),
    ...caches.budgets.list().map((budget) => budgetQueueKey(budget.metadata?.namespace ?? '', budget.metadata?.name ?? '')),
  ];
}
