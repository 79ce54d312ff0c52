import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installCrds } from '../../../local/install-crds.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { loosenBudgetSchema } from '../../support/loosened-crd.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, instanceStatus, neo4jInstance } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();

describe('objects the operator cannot use become conditions, never a crash', () => {
  const ns = uniqueName('invalid');
  const instanceName = uniqueName('graph');
  const good = [neo4jInstance(instanceName, { connectionLimit: 100 }), deployment(ns, 'svc', 2), boltBudget(ns, 'good', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] })];
  const garbage = boltBudget(ns, 'garbage', { instanceRef: { name: 42 }, workloads: 'lots', enforcement: 'Panic' });
  let operator: OperatorProcess;

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, good);
    operator = await startOperator();
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, [...good, garbage]);
    await installCrds(inject('kubeconfig'));
  });

  it('turns a spec the schema no longer guards into Ready False InvalidSpec naming each field', async () => {
    await loosenBudgetSchema();
    await api.create(garbage);
    await eventually(async () => {
      const ready = (await budgetStatus(ns, 'garbage'))?.conditions?.find((c) => c.type === 'Ready');
      expect(ready).toMatchObject({ status: 'False', reason: 'InvalidSpec', observedGeneration: 1 });
      expect(ready?.message).toMatch(/spec\.instanceRef\.name: /);
      expect(ready?.message).toMatch(/spec\.workloads: /);
      expect(ready?.message).toMatch(/spec\.enforcement: .*"Observe"\|"Flag"\|"Scale"/);
    });
  });

  it('keeps reconciling the valid objects beside it, and the process keeps running', async () => {
    await applyAll(api, [deployment(ns, 'svc', 3)]);
    await eventually(async () => expect((await instanceStatus(instanceName))?.current?.connections).toBe(30));
    await eventually(async () => expect((await budgetStatus(ns, 'good'))?.current?.connections).toBe(30));
    expect(operator.running()).toBe(true);
    expect(operator.count((line) => line.msg === 'unhandled rejection')).toBe(0);
    expect(await operator.httpStatus('/healthz')).toBe(200);
  });
});
