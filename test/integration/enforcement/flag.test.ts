import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetFinalizers, createNamespace, deployment, eventsAbout, instanceStatus, neo4jInstance, workloadState } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';

const api = objectApi();
const FLAG = 'boltbudget.io/over-budget';

describe('Flag: an annotation and one event per transition on each workload', () => {
  const ns = uniqueName('flag');
  const instanceName = uniqueName('graph');
  const svc = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'svc', replicas, { type: 'Recreate' });
  const objects = [
    neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }),
    svc(5),
    deployment(ns, 'bystander', 1),
    boltBudget(ns, 'svc', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] }),
  ];
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

  it('annotates the workload while the instance is Warning or worse, and clears it when it drops back', async () => {
    await eventually(async () => expect((await instanceStatus(instanceName))?.level).toBe('Healthy'));
    expect((await workloadState('Deployment', ns, 'svc')).annotations[FLAG]).toBeUndefined();
    // Nothing to give back yet, so no finalizer: a budget that never acted costs no write and never waits
    // for an uninstalled operator. Two reconciles after the first, so the check is not made too early.
    await laterBudgetReconciles(operator, `${ns}/svc`);
    expect(await budgetFinalizers(ns, 'svc')).toEqual([]);

    await applyAll(api, [svc(9)]);
    await eventually(async () => {
      const flag = (await workloadState('Deployment', ns, 'svc')).annotations[FLAG];
      expect(JSON.parse(flag ?? '{}')).toEqual({ budget: 'svc', instance: instanceName, level: 'Warning', percent: 90 });
    });
    // Taken before the flag was written, and kept while the budget may act again.
    expect(await budgetFinalizers(ns, 'svc')).toEqual(['boltbudget.io/restore']);
    await applyAll(api, [svc(10)]);
    await eventually(async () => expect(JSON.parse((await workloadState('Deployment', ns, 'svc')).annotations[FLAG] ?? '{}')).toMatchObject({ level: 'Critical', percent: 100 }));

    await applyAll(api, [svc(5)]);
    await eventually(async () => expect((await workloadState('Deployment', ns, 'svc')).annotations[FLAG]).toBeUndefined());
    // Two more reconciles of the budget (resyncs) before checking that no further event came.
    await laterBudgetReconciles(operator, `${ns}/svc`);

    const events = await eventsAbout('Deployment', 'svc', ns);
    expect(events.map((event) => [event.reason, event.type])).toEqual([
      ['OverBudget', 'Warning'],
      ['OverBudget', 'Warning'],
      ['WithinBudget', 'Normal'],
    ]);
    expect(events[0]?.note).toContain(`Neo4jInstance ${instanceName} is Warning at 90 %`);
    expect(events[1]?.note).toContain('is Critical at 100 %');
  });

  it('never touches a workload the budget does not list', async () => {
    const bystander = await workloadState('Deployment', ns, 'bystander');
    expect(bystander.annotations).toEqual({});
    expect(await eventsAbout('Deployment', 'bystander', ns)).toEqual([]);
  });
});
