import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, neo4jInstance } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { argoHealth } from './argo-health.ts';
import { kstatusOf } from './kstatus.ts';

const api = objectApi();
const custom = testKubeConfig().makeApiClient(CustomObjectsApi);

interface Read {
  metadata: { generation: number };
  status?: { observedGeneration?: number; level?: string; conditions?: { type: string; status: string; reason: string }[] };
}

/** The whole object as the API server returns it (what Argo CD and kstatus read). */
async function readBudget(namespace: string, name: string): Promise<Read> {
  return (await custom.getNamespacedCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', namespace, plural: 'boltbudgets', name })) as Read;
}
async function readInstance(name: string): Promise<Read> {
  return (await custom.getClusterCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', plural: 'neo4jinstances', name })) as Read;
}

/** Waits until the operator has written the status of the object's current generation. */
async function reconciled(read: () => Promise<Read>): Promise<Read> {
  return eventually(async () => {
    const object = await read();
    expect(object.status?.observedGeneration).toBe(object.metadata.generation);
    expect(object.status?.conditions?.find((c) => c.type === 'Ready')).toBeDefined();
    return object;
  });
}

describe('Argo CD health scripts (gopher-lua) and kstatus over statuses the operator wrote', () => {
  const ns = uniqueName('gitops');
  const healthyGraph = uniqueName('healthy-graph');
  const criticalGraph = uniqueName('critical-graph');
  const missingGraph = uniqueName('no-such-graph');
  const objects = [
    neo4jInstance(healthyGraph, { connectionLimit: 1000 }),
    neo4jInstance(criticalGraph, { connectionLimit: 100 }),
    deployment(ns, 'api', 2),
    deployment(ns, 'batch', 2),
    // 2 x 10 = 20 + 4 buffer of 1000: 3 %, Healthy (peak: 2 + 25 % surge = 3 replicas, 30 connections, 3 %).
    boltBudget(ns, 'orders', { instanceRef: { name: healthyGraph }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] }),
    // 2 x 40 = 80 + 16 buffer of 100: 96 %, Critical (peak: 3 replicas x 40 = 120 %).
    boltBudget(ns, 'reports', { instanceRef: { name: criticalGraph }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'batch', poolSize: 40 }] }),
    boltBudget(ns, 'orphan', { instanceRef: { name: missingGraph }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 5 }] }),
  ];
  let operator: OperatorProcess | undefined;

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    operator = await startOperator();
  });
  afterAll(async () => {
    await operator?.stop();
    await deleteAll(api, objects);
  });

  it('a healthy instance and its budget: Healthy with the level and percent; kstatus Current', async () => {
    const instance = await reconciled(() => readInstance(healthyGraph));
    expect(instance.status?.level).toBe('Healthy');
    expect(await argoHealth('Neo4jInstance', instance)).toEqual({ status: 'Healthy', message: 'Healthy: planned 3 %, current 3 %, peak 3 % of 1000 connections' });
    expect(kstatusOf(instance).status).toBe('Current');

    const budget = await reconciled(() => readBudget(ns, 'orders'));
    const health = await argoHealth('BoltBudget', budget);
    expect(health.status).toBe('Healthy');
    expect(health.message).toBe(`Healthy, share 2 % of the limit; Neo4jInstance ${healthyGraph} is Healthy: planned 3 %, current 3 % of 1000`);
    expect(kstatusOf(budget).status).toBe('Current');
  });

  it('an instance at Critical: Degraded naming the level and percents, yet kstatus Current (over budget is not a failed object)', async () => {
    const instance = await eventually(async () => {
      const object = await reconciled(() => readInstance(criticalGraph));
      expect(object.status?.level).toBe('Critical');
      return object;
    });
    expect(instance.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(instance.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'False', reason: 'SpecAccepted' });
    expect(await argoHealth('Neo4jInstance', instance)).toEqual({ status: 'Degraded', message: 'Critical: planned 96 %, current 96 %, peak 120 % of 100 connections' });
    expect(kstatusOf(instance).status).toBe('Current');

    const budget = await eventually(async () => {
      const object = await reconciled(() => readBudget(ns, 'reports'));
      expect(object.status?.level).toBe('Critical');
      return object;
    });
    const health = await argoHealth('BoltBudget', budget);
    expect(health.status).toBe('Degraded');
    expect(health.message).toMatch(/^Critical, share 80 % of the limit; .* is Critical: planned 96 %, current 96 % of 100$/);
    expect(kstatusOf(budget).status).toBe('Current');
  });

  it('a budget naming a missing instance: Stalled True, Argo CD Degraded with the reason, kstatus Failed', async () => {
    const budget = await reconciled(() => readBudget(ns, 'orphan'));
    expect(budget.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'InstanceNotFound' });
    expect(budget.status?.conditions?.find((c) => c.type === 'WithinBudget')).toMatchObject({ status: 'False', reason: 'InstanceNotFound' });
    expect(await argoHealth('BoltBudget', budget)).toEqual({ status: 'Degraded', message: `Stalled (InstanceNotFound): Neo4jInstance ${missingGraph} not found` });
    expect(kstatusOf(budget)).toEqual({ status: 'Failed', message: `Neo4jInstance ${missingGraph} not found` });
  });

  it('a spec changed while the operator is away: Progressing and InProgress until it observes the new generation', async () => {
    await reconciled(() => readBudget(ns, 'orders'));
    await operator?.stop();
    operator = undefined;
    await custom.patchNamespacedCustomObject(
      { group: 'boltbudget.io', version: 'v1alpha1', namespace: ns, plural: 'boltbudgets', name: 'orders', body: [{ op: 'replace', path: '/spec/workloads/0/poolSize', value: 12 }] },
      // A JSON patch of the spec: the generation moves, the status (of generation 1) stays.
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    const stale = await readBudget(ns, 'orders');
    expect(stale.metadata.generation).toBe(2);
    expect(stale.status?.observedGeneration).toBe(1);
    expect(await argoHealth('BoltBudget', stale)).toEqual({ status: 'Progressing', message: 'Waiting for the operator: generation 2 not observed yet (status is for generation 1)' });
    expect(kstatusOf(stale)).toEqual({ status: 'InProgress', message: 'generation is 2, but latest observed generation is 1' });

    // An object no operator has seen yet has no status: Argo CD waits, while kstatus calls it Current.
    const fresh = boltBudget(ns, 'fresh', { instanceRef: { name: healthyGraph }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 1 }] });
    await applyAll(api, [fresh]);
    objects.push(fresh);
    const unseen = await readBudget(ns, 'fresh');
    expect(unseen.status).toBeUndefined();
    expect(await argoHealth('BoltBudget', unseen)).toEqual({ status: 'Progressing', message: 'Waiting for the BoltBudget operator to reconcile this budget' });
    expect(kstatusOf(unseen).status).toBe('Current');

    operator = await startOperator();
    const caughtUp = await reconciled(() => readBudget(ns, 'orders'));
    expect(caughtUp.status?.observedGeneration).toBe(2);
    expect((await argoHealth('BoltBudget', caughtUp)).status).toBe('Healthy');
    expect(kstatusOf(caughtUp).status).toBe('Current');
    expect((await argoHealth('BoltBudget', await reconciled(() => readBudget(ns, 'fresh')))).status).toBe('Healthy');
  });
});
