import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../harness/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, instanceStatus, neo4jInstance } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();

describe('--namespaces limits what the operator watches', () => {
  const watched = uniqueName('watched');
  const ignored = uniqueName('ignored');
  const instanceName = uniqueName('graph');
  const objects = [
    neo4jInstance(instanceName, { connectionLimit: 1000 }),
    deployment(watched, 'svc', 2),
    deployment(ignored, 'svc', 3),
    boltBudget(watched, 'svc', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] }),
    boltBudget(ignored, 'svc', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] }),
  ];
  let operator: OperatorProcess;

  beforeAll(async () => {
    await createNamespace(watched);
    await createNamespace(ignored);
    await applyAll(api, objects);
    operator = await startOperator(['--namespaces', watched]);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, objects);
  });

  it('adds up only the budgets of the watched namespaces and leaves the others untouched', async () => {
    await eventually(async () => expect(await instanceStatus(instanceName)).toMatchObject({ budgets: 1, current: { connections: 20 } }));
    await eventually(async () => expect((await budgetStatus(watched, 'svc'))?.current?.connections).toBe(20));
    await sleep(1000);
    expect(await budgetStatus(ignored, 'svc')).toBeUndefined();
  });
});
