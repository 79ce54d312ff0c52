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

/** The keys of an instance and of every budget naming it: what a change to its sums touches. */
export function instanceFamilyKeys(caches: Caches, instanceName: string): string[] {
  return [instanceKey(instanceName), ...budgetsNaming(caches, instanceName).map((budget) => budgetQueueKey(budget.metadata?.namespace ?? '', budget.metadata?.name ?? ''))];
}

/**
 * Connects cache changes to work-queue keys (DESIGN section 5, practice 8).
 * `accepting` says whether keys are taken now: before a leader starts reconciling (which enqueues every key
 * once), the fan-out is not computed at all. During the initial sync that was a scan of every budget per
 * Deployment added: 10,000 x 2,000 at scale, and most of the garbage of the sync.
 */
export function wireTriggers(caches: Caches, enqueue: Enqueue, accepting: () => boolean = () => true): void {
  /**
   * Enqueues `own` and the families of the named instances, each key once: a key added again while its
   * reconcile runs (the budget whose change started it is one of its instance's family) would run twice.
   */
  const fanOut = (own: string | undefined, instanceNames: Iterable<string | undefined>): void => {
    const keys = new Set<string>(own === undefined ? [] : [own]);
    if (accepting()) {
      for (const name of new Set(instanceNames)) if (name !== undefined) for (const key of instanceFamilyKeys(caches, name)) keys.add(key);
    }
    for (const key of keys) enqueue(key);
  };

  const enqueueWorkloadBudgets = (namespace: string, workloads: Iterable<{ kind: string; name: string }>): void => {
    if (!accepting()) return;
    const named: string[] = [];
    for (const { kind, name } of workloads) {
      for (const budget of caches.budgets.list(namespace)) {
        const spec = budgetSpecOf(budget);
        if (spec.ok && spec.value.workloads.some((w) => w.kind === kind && w.name === name)) named.push(spec.value.instanceRef.name);
      }
    }
    fanOut(undefined, named);
  };

  const instances = new GenerationMemory<undefined>();
  caches.instances.onChange((instance, change) => {
    const { specChanged } = instances.note(instance, change, undefined);
    const name = instance.metadata?.name ?? '';
    fanOut(instanceKey(name), specChanged ? [name] : []);
  });

  const budgets = new GenerationMemory<string | undefined>();
  caches.budgets.onChange((budget, change) => {
    const instanceName = instanceNameOf(budget);
    const { specChanged, previous } = budgets.note(budget, change, instanceName);
    fanOut(budgetQueueKey(budget.metadata?.namespace ?? '', budget.metadata?.name ?? ''), specChanged ? [instanceName, previous] : []);
  });

  const workloadChanges = (kind: 'Deployment' | 'StatefulSet') => {
    const memory = new GenerationMemory<undefined>();
    return (workload: KubernetesObject, change: ChangeKind): void => {
      if (memory.note(workload, change, undefined).specChanged) enqueueWorkloadBudgets(workload.metadata?.namespace ?? '', [{ kind, name: workload.metadata?.name ?? '' }]);
    };
  };
  caches.deployments.onChange(workloadChanges('Deployment'));
  caches.statefulSets.onChange(workloadChanges('StatefulSet'));

  const autoscalers = new GenerationMemory<string>();
  caches.autoscalers.onChange((hpa, change) => {
    const target = `${hpa.spec?.scaleTargetRef.kind ?? ''}/${hpa.spec?.scaleTargetRef.name ?? ''}`;
    const { specChanged, previous } = autoscalers.note(hpa, change, target);
    if (!specChanged) return;
    const refs = [...new Set([target, previous ?? target])].map((ref) => {
      const [kind = '', name = ''] = ref.split('/');
      return { kind, name };
    });
    enqueueWorkloadBudgets(hpa.metadata?.namespace ?? '', refs);
  });
}

/** Every key the caches hold: what a leader enqueues when it starts and at each resync. */
export function allKeys(caches: Caches): string[] {
  return [
    ...caches.instances.list().map((instance) => instanceKey(instance.metadata?.name ?? '')),
    ...caches.budgets.list().map((budget) => budgetQueueKey(budget.metadata?.namespace ?? '', budget.metadata?.name ?? '')),
  ];
}
