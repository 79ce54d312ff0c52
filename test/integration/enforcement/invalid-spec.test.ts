import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installCrds } from '../../../local/install-crds.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { loosenBudgetSchema } from '../../support/loosened-crd.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, eventsAbout, neo4jInstance, workloadState } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const ORIGINAL = 'boltbudget.io/original-replicas';
const APPLIED = 'boltbudget.io/applied-replicas';
const FLAG = 'boltbudget.io/over-budget';

describe('a spec that turns invalid gives back what the budget changed', () => {
  const ns = uniqueName('invalid-spec');
  const instanceName = uniqueName('graph');
  const spec = (enforcement: string): Record<string, unknown> => ({
    instanceRef: { name: instanceName },
    enforcement,
    workloads: [
      { kind: 'Deployment', name: 'svc', poolSize: 10, minReplicas: 4 },
      { kind: 'Deployment', name: 'big', poolSize: 10, minReplicas: 5 },
    ],
  });
  // limit 100, no buffer: (5 + 5) x pool 10 = 100 %: svc lowered to its floor 4, still 90 % (Warning), both flagged.
  const objects = [neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }), deployment(ns, 'svc', 5, { type: 'Recreate' }), deployment(ns, 'big', 5, { type: 'Recreate' }), boltBudget(ns, 'apps', spec('Scale'))];
  let operator: OperatorProcess;

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    operator = await startOperator();
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, objects);
    await installCrds(inject('kubeconfig'));
  });

  it('removes its flags and gives its scale-downs back, and says why in Ready and Stalled', async () => {
    await eventually(async () => {
      const state = await workloadState('Deployment', ns, 'svc');
      expect(state).toMatchObject({ replicas: 4, annotations: { [ORIGINAL]: '5', [APPLIED]: '4' } });
      expect(JSON.parse(state.annotations[FLAG] ?? '{}')).toMatchObject({ budget: 'apps', level: 'Warning' });
      expect(JSON.parse((await workloadState('Deployment', ns, 'big')).annotations[FLAG] ?? '{}')).toMatchObject({ budget: 'apps', level: 'Warning' });
    });
    await loosenBudgetSchema();
    await applyAll(api, [boltBudget(ns, 'apps', spec('Panic'))]);

    await eventually(async () => expect(await workloadState('Deployment', ns, 'svc')).toMatchObject({ replicas: 5, annotations: {} }));
    await eventually(async () => expect(await workloadState('Deployment', ns, 'big')).toMatchObject({ replicas: 5, annotations: {} }));
    const conditions = (await budgetStatus(ns, 'apps'))?.conditions ?? [];
    expect(conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(conditions.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect((await eventsAbout('Deployment', 'svc', ns)).map((e) => e.reason)).toEqual(expect.arrayContaining(['ScaledDown', 'Restored', 'WithinBudget']));
  });
});
