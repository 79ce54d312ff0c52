import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, eventsAbout, isNotFound, neo4jInstance, workloadState } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';

const api = objectApi();
const ORIGINAL = 'boltbudget.io/original-replicas';
const APPLIED = 'boltbudget.io/applied-replicas';
const CHANGED_BY = 'boltbudget.io/changed-by';
const ADOPTED = 'boltbudget.io/override-adopted';
const recreate = { type: 'Recreate' };
const scaleReasons = async (name: string, ns: string): Promise<string[]> =>
  (await eventsAbout('Deployment', name, ns)).map((e) => e.reason).filter((r) => ['ScaledDown', 'Restored', 'OverrideAdopted'].includes(r));

describe('people win: a value someone else set is adopted, counted, and never reverted', () => {
  const ns = uniqueName('override');
  const instanceName = uniqueName('graph');
  // limit 100, no buffer: api 5 + web 4 replicas of pool 10 = 90 % (Warning): api (priority 0) 5 -> 4.
  const api5 = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'api', replicas, recreate);
  const budget = boltBudget(ns, 'apps', {
    instanceRef: { name: instanceName },
    enforcement: 'Scale',
    workloads: [
      { kind: 'Deployment', name: 'api', poolSize: 10, priority: 0 },
      { kind: 'Deployment', name: 'web', poolSize: 10, priority: 10 },
    ],
  });
  const objects = [neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }), api5(5), deployment(ns, 'web', 4, recreate), budget];
  let operator: OperatorProcess;
  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    operator = await startOperator(['--log-level', 'debug', '--resync-seconds', '1']);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, objects);
  });

  it('adopts a revert to the declared value once, and lowers the others instead', async () => {
    await eventually(async () => expect(await workloadState('Deployment', ns, 'api')).toMatchObject({ replicas: 4, annotations: { [ORIGINAL]: '5', [APPLIED]: '4', [CHANGED_BY]: 'apps' } }));
    // A person (or a GitOps sync) puts 5 back: 90 % again, and api is theirs now; web is lowered instead.
    await applyAll(api, [api5(5)]);
    await eventually(async () => expect(await workloadState('Deployment', ns, 'web')).toMatchObject({ replicas: 3, annotations: { [ORIGINAL]: '4', [APPLIED]: '3' } }));
    await laterBudgetReconciles(operator, `${ns}/apps`);
    const apiState = await workloadState('Deployment', ns, 'api');
    expect(apiState.replicas).toBe(5);
    expect([apiState.annotations[ORIGINAL], apiState.annotations[APPLIED], apiState.annotations[CHANGED_BY]]).toEqual([undefined, undefined, undefined]);
    expect(await scaleReasons('api', ns)).toEqual(['ScaledDown', 'OverrideAdopted']);
    // Adopted at Warning; lowering web brought the instance to Healthy (80 %), a later level transition:
    // the hold ended, and with nothing over the line nothing acts on api.
    expect(apiState.annotations[ADOPTED]).toBeUndefined();
    expect(await budgetStatus(ns, 'apps')).toMatchObject({ level: 'Healthy', current: { connections: 80 } });
    expect((await budgetStatus(ns, 'apps'))?.workloads?.find((w) => w.name === 'api')?.state).toBe('Ok');
  });

  it('never raises what a person lowered further, not even when the budget is deleted', async () => {
    // web was lowered by the operator to 3 (original 4); a person takes it down to 1: 50 + 10 = 60 %.
    await applyAll(api, [deployment(ns, 'web', 1, recreate)]);
    await eventually(async () => expect((await workloadState('Deployment', ns, 'web')).annotations[ORIGINAL]).toBeUndefined());
    await laterBudgetReconciles(operator, `${ns}/apps`);
    expect((await workloadState('Deployment', ns, 'web')).replicas).toBe(1);
    expect(await scaleReasons('web', ns)).toEqual(['ScaledDown', 'OverrideAdopted']);

    await api.delete(budget);
    const header = { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name: 'apps', namespace: ns } };
    await eventually(async () => expect(await api.read(header).then(() => false, (error: unknown) => isNotFound(error))).toBe(true));
    // The finalizer gave back only what was still the operator's: nothing here.
    expect((await workloadState('Deployment', ns, 'web')).replicas).toBe(1);
    expect((await workloadState('Deployment', ns, 'api')).replicas).toBe(5);
    expect(await scaleReasons('web', ns)).toEqual(['ScaledDown', 'OverrideAdopted']);
    expect((await workloadState('Deployment', ns, 'api')).annotations[ADOPTED]).toBeUndefined();
  });
});
