import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../support/eventually.ts';
import { parseTable } from '../../support/kubectl-table.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { autoscaler, boltBudget, budgetStatus, createNamespace, deployment, instanceStatus, neo4jInstance, statefulSet } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const run = promisify(execFile);
const api = objectApi();
const condition = (conditions: { type: string; status: string; reason: string }[] | undefined, type: string): { status: string; reason: string } | undefined =>
  conditions?.find((c) => c.type === type);

describe('the operator computes both statuses from the real API server', () => {
  const nsA = uniqueName('team-a');
  const nsB = uniqueName('team-b');
  const instanceName = uniqueName('graph');
  let operator: OperatorProcess;

  const instance = neo4jInstance(instanceName, { connectionLimit: 300 });
  const api_ = deployment(nsA, 'api', 3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 } });
  const worker = deployment(nsA, 'worker', 2, { type: 'Recreate' });
  const hpa = autoscaler(nsA, 'api', 'api', 6);
  const store = statefulSet(nsB, 'store', 2);
  const budgetA = boltBudget(nsA, 'orders', {
    instanceRef: { name: instanceName },
    workloads: [
      { kind: 'Deployment', name: 'api', poolSize: 20, replicas: 4 },
      { kind: 'Deployment', name: 'worker', poolSize: 10 },
    ],
  });
  const budgetB = boltBudget(nsB, 'storage', { instanceRef: { name: instanceName }, workloads: [{ kind: 'StatefulSet', name: 'store', poolSize: 30 }] });
  const all = [instance, api_, worker, hpa, store, budgetA, budgetB];

  beforeAll(async () => {
    await createNamespace(nsA);
    await createNamespace(nsB);
    await applyAll(api, all);
    operator = await startOperator(['--resync-seconds', '10']);
  });
  afterAll(async () => {
    await operator.stop();
    expect(operator.exitCode).toBe(0);
    await deleteAll(api, all);
  });

  it('writes every number of DESIGN section 2 on the instance and both budgets', async () => {
    // api: p 20, live 3, expected 4, HPA max 6 -> base 6, surge ceil(50 % of 6) = 3: planned 80, current 60, peak 180
    // worker: p 10, live 2 (expected = live), Recreate: 20 / 20 / 20
    // store: p 30, live 2, StatefulSet (no surge): 60 / 60 / 60
    // planned 160 + buffer 32 = 192 -> ceil(19200/300) = 64 %; current 140 + 28 = 168 -> 56 %; peak 260 -> ceil(26000/300) = 87 %
    const status = await eventually(async () => {
      const s = await instanceStatus(instanceName);
      expect(s?.planned?.connections).toBe(160);
      return s;
    });
    expect(status).toMatchObject({
      observedGeneration: 1,
      level: 'Healthy',
      budgets: 2,
      planned: { connections: 160, buffer: 32, percent: 64 },
      current: { connections: 140, buffer: 28, percent: 56 },
      peak: { connections: 260, percent: 87 },
    });
    expect(condition(status?.conditions, 'Ready')).toMatchObject({ status: 'True' });
    expect(condition(status?.conditions, 'CapacityWarning')).toMatchObject({ status: 'False', reason: 'Healthy' });
    expect(condition(status?.conditions, 'CapacityCritical')).toMatchObject({ status: 'False' });
    expect(condition(status?.conditions, 'PeakExceedsLimit')).toMatchObject({ status: 'False' });
    expect(status?.conditions?.every((c) => c.observedGeneration === 1)).toBe(true);

    const a = await eventually(async () => {
      const s = await budgetStatus(nsA, 'orders');
      expect(s?.planned?.connections).toBe(100);
      return s;
    });
    expect(a).toMatchObject({ observedGeneration: 1, level: 'Healthy', planned: { connections: 100 }, current: { connections: 80 }, peak: { connections: 200 }, sharePercent: 34 });
    expect(a?.workloads).toEqual([
      // ceiling: others current 140 - 60 = 80; 80 + 20 r with 20 % buffer must stay <= 80 % of 300 = 240 -> 200 -> r = 6
      { kind: 'Deployment', name: 'api', poolSize: 20, replicas: { expected: 4, live: 3, peak: 9 }, connections: { planned: 80, current: 60, peak: 180 }, state: 'Ok', ceilingReplicas: 6 },
      // others 120; 120 + 10 r <= 200 -> r = 8
      { kind: 'Deployment', name: 'worker', poolSize: 10, replicas: { expected: 2, live: 2, peak: 2 }, connections: { planned: 20, current: 20, peak: 20 }, state: 'Ok', ceilingReplicas: 8 },
    ]);
    expect(condition(a?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(condition(a?.conditions, 'WithinBudget')).toMatchObject({ status: 'True', reason: 'Healthy' });

    const b = await budgetStatus(nsB, 'storage');
    expect(b).toMatchObject({ level: 'Healthy', planned: { connections: 60 }, current: { connections: 60 }, peak: { connections: 60 }, sharePercent: 20 });
  });

  it('prints the columns in kubectl get n4j and kubectl get bb -A', async () => {
    const kubeconfig = inject('kubeconfig');
    const n4j = parseTable((await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'n4j', instanceName])).stdout);
    expect(Object.keys(n4j[0] ?? {})).toEqual(['NAME', 'LIMIT', 'PLANNED%', 'CURRENT%', 'PEAK%', 'OBSERVED', 'LEVEL', 'BUDGETS', 'READY', 'AGE']);
    // OBSERVED stays empty: this instance has no spec.bolt.
    expect(n4j[0]).toMatchObject({ NAME: instanceName, LIMIT: '300', 'PLANNED%': '64', 'CURRENT%': '56', 'PEAK%': '87', OBSERVED: '', LEVEL: 'Healthy', BUDGETS: '2', READY: 'True' });

    const bb = parseTable((await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'bb', '-A'])).stdout);
    expect(Object.keys(bb[0] ?? {})).toEqual(['NAMESPACE', 'NAME', 'INSTANCE', 'PLANNED', 'CURRENT', 'SHARE%', 'LEVEL', 'READY', 'AGE']);
    expect(bb.find((row) => row.NAMESPACE === nsA)).toMatchObject({ NAME: 'orders', INSTANCE: instanceName, PLANNED: '100', CURRENT: '80', 'SHARE%': '34', LEVEL: 'Healthy', READY: 'True' });
  });

  it('follows a Deployment scale, an HPA maximum and a pool size change', async () => {
    await applyAll(api, [deployment(nsA, 'api', 5, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 } })]);
    // api live 5: current 100; total current 180 + 36 = 216 -> 72 %
    await eventually(async () => expect((await instanceStatus(instanceName))?.current).toEqual({ connections: 180, buffer: 36, percent: 72 }));
    await eventually(async () => expect((await budgetStatus(nsA, 'orders'))?.current).toEqual({ connections: 120 }));

    await applyAll(api, [autoscaler(nsA, 'api', 'api', 10)]);
    // api peak: base max(4, 5, 10) = 10, surge 5 -> 15 x 20 = 300; total peak 300 + 20 + 60 = 380 -> 127 %
    await eventually(async () => expect((await instanceStatus(instanceName))?.peak).toEqual({ connections: 380, percent: 127 }));
    const peakStatus = await instanceStatus(instanceName);
    expect(condition(peakStatus?.conditions, 'PeakExceedsLimit')).toMatchObject({ status: 'True', reason: 'PeakOverLimit' });

    await applyAll(api, [boltBudget(nsB, 'storage', { instanceRef: { name: instanceName }, workloads: [{ kind: 'StatefulSet', name: 'store', poolSize: 50 }] })]);
    // store 2 x 50 = 100: planned 80 + 20 + 100 = 200 + 40 = 240 -> 80 %
    await eventually(async () => expect((await instanceStatus(instanceName))?.planned).toEqual({ connections: 200, buffer: 40, percent: 80 }));
    await eventually(async () => expect(await budgetStatus(nsB, 'storage')).toMatchObject({ observedGeneration: 2, planned: { connections: 100 }, sharePercent: 34 }));
  });

  it('lowers the instance sums when a budget is deleted', async () => {
    await api.delete(budgetB);
    await eventually(async () => expect(await instanceStatus(instanceName)).toMatchObject({ budgets: 1, planned: { connections: 100 } }));
  });

  it('says in Ready when a budget names a missing instance or a missing workload', async () => {
    const orphan = boltBudget(nsB, 'orphan', { instanceRef: { name: 'no-such-graph' }, workloads: [{ kind: 'StatefulSet', name: 'store', poolSize: 5 }] });
    const missing = boltBudget(nsB, 'missing', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'ghost', poolSize: 5, replicas: 2 }] });
    await applyAll(api, [orphan, missing]);
    all.push(orphan, missing);
    await eventually(async () => {
      const s = await budgetStatus(nsB, 'orphan');
      expect(condition(s?.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'InstanceNotFound' });
      expect(condition(s?.conditions, 'Stalled')).toMatchObject({ status: 'True', reason: 'InstanceNotFound' });
      expect(condition(s?.conditions, 'WithinBudget')).toMatchObject({ status: 'False', reason: 'InstanceNotFound' });
    });
    await eventually(async () => {
      const s = await budgetStatus(nsB, 'missing');
      expect(condition(s?.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'WorkloadMissing' });
      expect(s?.workloads?.[0]).toMatchObject({ name: 'ghost', state: 'Missing', replicas: { expected: 2, live: 0 } });
    });
    // The missing workload is still planned for: 100 + 5 x 2.
    await eventually(async () => expect((await instanceStatus(instanceName))?.planned?.connections).toBe(110));
    expect(operator.running()).toBe(true);
  });
});
