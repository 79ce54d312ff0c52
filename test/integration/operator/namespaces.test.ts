import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, instanceStatus, neo4jInstance } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';

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
    operator = await startOperator(['--namespaces', watched, '--log-level', 'debug', '--resync-seconds', '1']);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, objects);
  });

  it('adds up only the budgets of the watched namespaces, says so, and leaves the others (and the instance\'s totals) untouched', async () => {
    await eventually(async () => expect(await budgetStatus(watched, 'svc')).toMatchObject({ current: { connections: 20 }, scope: { namespaces: [watched] } }));
    // Two resyncs that reached the watched budget have passed: the ignored one would have been reached too.
    await laterBudgetReconciles(operator, `${watched}/svc`);
    expect(await budgetStatus(ignored, 'svc')).toBeUndefined();
    // A namespaced operator sees part of a cluster-scoped instance's budgets: its totals are not its to write.
    expect(operator.count((line) => line.msg === 'instance status left alone' && line.neo4jInstance === instanceName)).toBeGreaterThan(0);
    expect(await instanceStatus(instanceName)).toBeUndefined();
  });
});
