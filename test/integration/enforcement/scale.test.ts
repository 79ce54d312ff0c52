import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { autoscaler, autoscalerState, boltBudget, budgetStatus, createNamespace, deployment, eventsAbout, isNotFound, neo4jInstance, workloadState } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';

const api = objectApi();
/** True once the object is gone from the API server. */
const deleted = (object: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } }): Promise<boolean> =>
  api
    .read({ apiVersion: object.apiVersion ?? '', kind: object.kind ?? '', metadata: { name: object.metadata?.name ?? '', ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}) } })
    .then(() => false, (error: unknown) => isNotFound(error));
const ORIGINAL = 'boltbudget.io/original-replicas';
const ORIGINAL_MAX = 'boltbudget.io/original-max-replicas';
const recreate = { type: 'Recreate' };

describe('Scale: lowering in priority order, HPA capping, restore with hysteresis, finalizer', () => {
  let operator: OperatorProcess;
  beforeAll(async () => {
    operator = await startOperator(['--log-level', 'debug', '--resync-seconds', '1']);
  });
  afterAll(async () => {
    await operator.stop();
    expect(operator.exitCode).toBe(0);
  });

  describe('lowering', () => {
    const ns = uniqueName('scale');
    const instanceName = uniqueName('graph');
    // limit 100, no buffer, warning 80: 3 + 3 + 4 replicas of pool 10 = 100 %, 20 connections too many.
    const objects = [
      neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }),
      deployment(ns, 'low', 3, recreate),
      deployment(ns, 'auto', 3, recreate),
      autoscaler(ns, 'auto', 'auto', 6),
      deployment(ns, 'high', 4, recreate),
      deployment(ns, 'other', 7, recreate),
      boltBudget(ns, 'apps', {
        instanceRef: { name: instanceName },
        enforcement: 'Scale',
        workloads: [
          { kind: 'Deployment', name: 'low', poolSize: 10, priority: 0, minReplicas: 2 },
          { kind: 'Deployment', name: 'auto', poolSize: 10, priority: 50 },
          { kind: 'Deployment', name: 'high', poolSize: 10, priority: 100 },
        ],
      }),
    ];
    beforeAll(async () => {
      await createNamespace(ns);
      await applyAll(api, objects);
    });
    afterAll(async () => deleteAll(api, objects));

    it('lowers the lowest priority first, stops at minReplicas, then caps the next one\'s HPA', async () => {
      await eventually(async () => expect(await workloadState('Deployment', ns, 'low')).toMatchObject({ replicas: 2, annotations: { [ORIGINAL]: '3' } }));
      await eventually(async () => expect(await autoscalerState(ns, 'auto')).toMatchObject({ maxReplicas: 2, annotations: { [ORIGINAL_MAX]: '6' } }));
      // The HPA is capped instead of fighting it over spec.replicas.
      const auto = await workloadState('Deployment', ns, 'auto');
      expect(auto.replicas).toBe(3);
      expect(auto.annotations[ORIGINAL]).toBeUndefined();
      expect((await workloadState('Deployment', ns, 'high')).replicas).toBe(4);
    });

    it('never touches a workload the budget does not list', async () => {
      expect(await workloadState('Deployment', ns, 'other')).toMatchObject({ replicas: 7, annotations: {} });
    });

    it('shows the plan in status, and every change as an event', async () => {
      const status = await budgetStatus(ns, 'apps');
      expect(status?.plan?.map((step) => [step.name, step.from, step.to])).toEqual(
        expect.arrayContaining([
          ['low', 3, 2],
          ['auto', 3, 2],
        ]),
      );
      // Scale flags as Flag does (OverBudget, WithinBudget); the scaling itself is one event per change.
      await eventually(async () => expect((await eventsAbout('Deployment', 'low', ns)).map((e) => e.reason).filter((r) => r === 'ScaledDown')).toEqual(['ScaledDown']));
      await eventually(async () => expect((await eventsAbout('HorizontalPodAutoscaler', 'auto', ns)).map((e) => e.reason)).toEqual(['MaxReplicasCapped']));
    });
  });

  describe('restoring', () => {
    const ns = uniqueName('restore');
    const instanceName = uniqueName('graph');
    const high = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'high', replicas, recreate);
    const instance = neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 });
    const budget = boltBudget(ns, 'apps', {
      instanceRef: { name: instanceName },
      enforcement: 'Scale',
      workloads: [
        { kind: 'Deployment', name: 'low', poolSize: 10, priority: 0 },
        { kind: 'Deployment', name: 'high', poolSize: 10, priority: 10 },
      ],
    });
    const objects = [instance, deployment(ns, 'low', 3, recreate), high(6), budget];
    beforeAll(async () => {
      await createNamespace(ns);
      await applyAll(api, objects);
    });
    afterAll(async () => deleteAll(api, objects));

    it('gives the original back only when the instance stays 10 points under its warning line', async () => {
      // 30 + 60 = 90 % -> low 3 -> 2.
      await eventually(async () => expect(await workloadState('Deployment', ns, 'low')).toMatchObject({ replicas: 2, annotations: { [ORIGINAL]: '3' } }));
      // high 6 -> 5: 20 + 50 = 70 %; giving low back would be 80 %: within the line, but not 10 points under.
      await applyAll(api, [high(5)]);
      await eventually(async () => expect((await budgetStatus(ns, 'apps'))?.current?.connections).toBe(70));
      await laterBudgetReconciles(operator, `${ns}/apps`);
      expect((await workloadState('Deployment', ns, 'low')).replicas).toBe(2);
      // high 5 -> 3: 20 + 30 = 50 %; giving low back is 60 %: restored, annotation gone.
      await applyAll(api, [high(3)]);
      await eventually(async () => expect(await workloadState('Deployment', ns, 'low')).toMatchObject({ replicas: 3, annotations: {} }));
      // The event follows the change it reports.
      await eventually(async () => expect((await eventsAbout('Deployment', 'low', ns)).map((e) => e.reason).filter((r) => r === 'ScaledDown' || r === 'Restored')).toEqual(['ScaledDown', 'Restored']));
    });

    it('deleting the budget restores the originals and removes its finalizer', async () => {
      await applyAll(api, [high(6)]);
      await eventually(async () => expect((await workloadState('Deployment', ns, 'low')).replicas).toBe(2));
      await api.delete(budget);
      await eventually(async () => expect(await deleted(budget)).toBe(true));
      expect(await workloadState('Deployment', ns, 'low')).toMatchObject({ replicas: 3, annotations: {} });
    });
  });

  describe('deleting the instance first', () => {
    const ns = uniqueName('orphan');
    const instanceName = uniqueName('graph');
    const instance = neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 });
    const budget = boltBudget(ns, 'apps', { instanceRef: { name: instanceName }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] });
    const objects = [instance, deployment(ns, 'svc', 9, recreate), budget];
    beforeAll(async () => {
      await createNamespace(ns);
      await applyAll(api, objects);
    });
    afterAll(async () => deleteAll(api, objects));

    it('does not wedge the budget: it is deleted and gives the original back', async () => {
      await eventually(async () => expect(await workloadState('Deployment', ns, 'svc')).toMatchObject({ replicas: 8, annotations: { [ORIGINAL]: '9' } }));
      await api.delete(instance);
      await eventually(async () => expect((await budgetStatus(ns, 'apps'))?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'InstanceNotFound' }));
      await api.delete(budget);
      await eventually(async () => expect(await deleted(budget)).toBe(true));
      expect(await workloadState('Deployment', ns, 'svc')).toMatchObject({ replicas: 9, annotations: {} });
    });
  });
});
