import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cli/plan/memory-cache.ts';
import { WrittenObjects } from '../../../src/controller/budget/written-objects.ts';
import { budgetFacts, type GatherSources } from '../../../src/controller/gather.ts';
import type { BudgetResource } from '../../../src/k8s/caches.ts';
import type { ReadCache } from '../../../src/k8s/watched-cache.ts';

/** A cache whose objects can change, counting changes per namespace as the operator's watched caches do. */
class ChangingCache<T extends KubernetesObject> implements ReadCache<T> {
  private readonly objects = new Map<string, T>();
  private readonly changes = new Map<string, number>();

  constructor(objects: readonly T[] = []) {
    for (const object of objects) this.put(object);
  }

  put(object: T): void {
    const namespace = object.metadata?.namespace ?? '';
    this.objects.set(`${namespace}/${object.metadata?.name ?? ''}`, object);
    this.changes.set(namespace, this.changesIn(namespace) + 1);
  }

  get(name: string, namespace?: string): Readonly<T> | undefined {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }

  list(namespace?: string): readonly Readonly<T>[] {
    return [...this.objects.values()].filter((object) => namespace === undefined || object.metadata?.namespace === namespace);
  }

  changesIn(namespace: string): number {
    return this.changes.get(namespace) ?? 0;
  }
}

const deployment = (namespace: string, name: string, replicas: number, resourceVersion: string): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { namespace, name, resourceVersion },
  spec: { replicas, selector: {}, template: {} },
});

const budget = (namespace: string): BudgetResource => ({
  apiVersion: 'boltbudget.io/v1alpha1',
  kind: 'BoltBudget',
  metadata: { namespace, name: 'orders', uid: `uid-${namespace}`, generation: 1 },
  spec: { instanceRef: { name: 'graph' }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] },
});

function sources(): { sources: GatherSources; deployments: ChangingCache<V1Deployment>; written: WrittenObjects } {
  const deployments = new ChangingCache([deployment('shop', 'api', 3, '10'), deployment('billing', 'api', 2, '11')]);
  const written = new WrittenObjects();
  return {
    deployments,
    written,
    sources: { instances: new MemoryCache([]), budgets: new MemoryCache([]), deployments, statefulSets: new ChangingCache(), autoscalers: new ChangingCache(), pods: new MemoryCache([]), written },
  };
}

const liveReplicas = (facts: ReturnType<typeof budgetFacts>): number | undefined => facts.workloads[0]?.live?.replicas;

describe('budgetFacts: kept per budget object while nothing it read changed', () => {
  it('gives the same facts again while the namespace and the written overlay are unchanged', () => {
    const { sources: from, deployments } = sources();
    const shop = budget('shop');
    const first = budgetFacts(from, shop);
    expect(liveReplicas(first)).toBe(3);
    expect(budgetFacts(from, shop)).toBe(first);
    // A change in another namespace leaves them standing.
    deployments.put(deployment('billing', 'api', 5, '12'));
    expect(budgetFacts(from, shop)).toBe(first);
  });

  it('reads again after a workload of the namespace changed', () => {
    const { sources: from, deployments } = sources();
    const shop = budget('shop');
    budgetFacts(from, shop);
    deployments.put(deployment('shop', 'api', 7, '13'));
    expect(liveReplicas(budgetFacts(from, shop))).toBe(7);
  });

  it('reads again after this process wrote a workload the cache does not show yet', () => {
    const { sources: from, written } = sources();
    const shop = budget('shop');
    expect(liveReplicas(budgetFacts(from, shop))).toBe(3);
    written.remember('Deployment/shop/api', { resourceVersion: '20', replicas: 1 });
    expect(liveReplicas(budgetFacts(from, shop))).toBe(1);
  });

  it('reads a changed budget (a new object) afresh, and keeps nothing for caches that cannot count changes', () => {
    const { sources: from } = sources();
    const shop = budget('shop');
    const first = budgetFacts(from, shop);
    expect(budgetFacts(from, budget('shop'))).not.toBe(first);
    const uncounted: GatherSources = { ...from, deployments: new MemoryCache([deployment('shop', 'api', 3, '10')]) };
    const once = budgetFacts(uncounted, shop);
    expect(budgetFacts(uncounted, shop)).not.toBe(once);
    expect(budgetFacts(uncounted, shop)).toEqual(once);
  });
});
