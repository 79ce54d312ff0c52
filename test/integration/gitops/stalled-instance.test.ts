import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installCrds } from '../../../local/install-crds.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { loosenInstanceSchema } from '../../support/loosened-crd.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, neo4jInstance } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { argoHealth } from './argo-health.ts';
import { kstatusOf } from './kstatus.ts';

const api = objectApi();
const custom = testKubeConfig().makeApiClient(CustomObjectsApi);

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface Read {
  metadata: { generation: number };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}
const conditionOf = (object: Read, type: string): Condition | undefined => object.status?.conditions?.find((c) => c.type === type);

describe('a Neo4jInstance whose spec cannot be acted on is Stalled, and so is every budget naming it', () => {
  const ns = uniqueName('stalled');
  const graph = uniqueName('broken-graph');
  const broken = neo4jInstance(graph, { connectionLimit: 'lots', bufferPercent: 500 });
  const objects = [deployment(ns, 'api', 2), boltBudget(ns, 'orders', { instanceRef: { name: graph }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] })];
  let operator: OperatorProcess;

  const readInstance = async (): Promise<Read> => (await custom.getClusterCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', plural: 'neo4jinstances', name: graph })) as Read;
  const readBudget = async (): Promise<Read> => (await custom.getNamespacedCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', namespace: ns, plural: 'boltbudgets', name: 'orders' })) as Read;

  beforeAll(async () => {
    await createNamespace(ns);
    await loosenInstanceSchema();
    await applyAll(api, [broken, ...objects]);
    operator = await startOperator();
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, [broken, ...objects]);
    await installCrds(inject('kubeconfig'));
  });

  it('the instance: Ready False and Stalled True InvalidSpec naming the fields; Argo CD Degraded, kstatus Failed', async () => {
    const instance = await eventually(async () => {
      const object = await readInstance();
      expect(object.status?.observedGeneration).toBe(1);
      expect(conditionOf(object, 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
      return object;
    });
    expect(conditionOf(instance, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    const message = conditionOf(instance, 'Stalled')?.message ?? '';
    expect(message).toMatch(/spec\.connectionLimit: /);
    expect(message).toMatch(/spec\.bufferPercent: /);
    expect(await argoHealth('Neo4jInstance', instance)).toEqual({ status: 'Degraded', message: `Stalled (InvalidSpec): ${message}` });
    expect(kstatusOf(instance)).toEqual({ status: 'Failed', message });
  });

  it('a budget naming it: Stalled True InstanceInvalid and WithinBudget False; Argo CD Degraded, kstatus Failed', async () => {
    const budget = await eventually(async () => {
      const object = await readBudget();
      expect(conditionOf(object, 'Stalled')).toMatchObject({ status: 'True', reason: 'InstanceInvalid' });
      return object;
    });
    expect(conditionOf(budget, 'WithinBudget')).toMatchObject({ status: 'False', reason: 'InstanceInvalid' });
    expect(await argoHealth('BoltBudget', budget)).toEqual({ status: 'Degraded', message: `Stalled (InstanceInvalid): Neo4jInstance ${graph} has an invalid spec` });
    expect(kstatusOf(budget).status).toBe('Failed');
  });

  it('a fixed spec: both go Current and Healthy, Stalled False', async () => {
    await custom.patchClusterCustomObject(
      { group: 'boltbudget.io', version: 'v1alpha1', plural: 'neo4jinstances', name: graph, body: { spec: { connectionLimit: 1000, bufferPercent: 20 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const instance = await eventually(async () => {
      const object = await readInstance();
      expect(object.status?.observedGeneration).toBe(2);
      return object;
    });
    expect(conditionOf(instance, 'Stalled')).toMatchObject({ status: 'False', reason: 'SpecAccepted' });
    expect(conditionOf(instance, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(kstatusOf(instance).status).toBe('Current');
    expect((await argoHealth('Neo4jInstance', instance)).status).toBe('Healthy');

    const budget = await eventually(async () => {
      const object = await readBudget();
      expect(conditionOf(object, 'Stalled')).toMatchObject({ status: 'False', reason: 'SpecAccepted' });
      return object;
    });
    expect(conditionOf(budget, 'WithinBudget')).toMatchObject({ status: 'True', reason: 'Healthy' });
    expect(kstatusOf(budget).status).toBe('Current');
    expect((await argoHealth('BoltBudget', budget)).status).toBe('Healthy');
  });
});
