import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, instanceStatus, neo4jInstance, resourceVersionOf } from '../../support/objects.ts';
import { startOperator, type LogLine, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const leftAlone = (instance: string) => (line: LogLine): boolean => line.msg === 'instance status left alone' && line.neo4jInstance === instance;
const instanceWritten = (instance: string) => (line: LogLine): boolean => line.msg === 'instance status written' && line.neo4jInstance === instance;

describe('two operators watching disjoint namespaces share a cluster-scoped instance', () => {
  const nsA = uniqueName('team-a');
  const nsB = uniqueName('team-b');
  const graph = uniqueName('shared-graph');
  const objects = [
    neo4jInstance(graph, { connectionLimit: 100 }),
    deployment(nsA, 'svc', 2, { type: 'Recreate' }),
    deployment(nsB, 'svc', 3, { type: 'Recreate' }),
    boltBudget(nsA, 'svc', { instanceRef: { name: graph }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] }),
    boltBudget(nsB, 'svc', { instanceRef: { name: graph }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] }),
  ];
  const operators: OperatorProcess[] = [];

  beforeAll(async () => {
    await createNamespace(nsA);
    await createNamespace(nsB);
    await applyAll(api, objects);
  });
  afterAll(async () => {
    for (const operator of operators) await operator.stop();
    await deleteAll(api, objects);
  });

  it('each writes only its own budgets, says what it counts, and neither writes the instance', async () => {
    const a = await startOperator(['--namespaces', nsA, '--log-level', 'debug', '--resync-seconds', '2']);
    operators.push(a);
    const b = await startOperator(['--namespaces', nsB, '--log-level', 'debug', '--resync-seconds', '2']);
    operators.push(b);

    // 20 of 100 (+ 4 buffer) seen from team-a; 30 (+ 6) from team-b: each level covers only its own namespace.
    const statusA = await eventually(async () => {
      const status = await budgetStatus(nsA, 'svc');
      expect(status?.current?.connections).toBe(20);
      return status;
    });
    expect(statusA?.scope).toEqual({ namespaces: [nsA] });
    expect(statusA?.conditions?.find((c) => c.type === 'WithinBudget')?.message).toBe(
      `Neo4jInstance ${graph} is Healthy: planned 24 %, current 24 % of 100 (counting only the budgets in namespaces ${nsA})`,
    );
    const statusB = await eventually(async () => {
      const status = await budgetStatus(nsB, 'svc');
      expect(status?.current?.connections).toBe(30);
      return status;
    });
    expect(statusB?.scope).toEqual({ namespaces: [nsB] });

    // Positive signal first: each has reconciled the instance (and left it alone) twice, the second at a resync.
    await a.waitForLog('a second reconcile of the instance', () => a.count(leftAlone(graph)) >= 2);
    await b.waitForLog('a second reconcile of the instance', () => b.count(leftAlone(graph)) >= 2);
    const rvA = await resourceVersionOf('budget', 'svc', nsA);
    const rvB = await resourceVersionOf('budget', 'svc', nsB);
    const seenA = a.count(leftAlone(graph));
    const seenB = b.count(leftAlone(graph));
    await a.waitForLog('a resync after the statuses were read', () => a.count(leftAlone(graph)) > seenA);
    await b.waitForLog('a resync after the statuses were read', () => b.count(leftAlone(graph)) > seenB);

    expect(await instanceStatus(graph)).toBeUndefined();
    expect(a.count(instanceWritten(graph)) + b.count(instanceWritten(graph))).toBe(0);
    expect(a.lines.find(leftAlone(graph))?.reason).toBe(`watching only namespaces ${nsA}: the instance's totals belong to an operator that watches all namespaces`);
    // Neither overwrote the other's budget, nor its own at steady state.
    expect(await resourceVersionOf('budget', 'svc', nsA)).toBe(rvA);
    expect(await resourceVersionOf('budget', 'svc', nsB)).toBe(rvB);
  });

  it('an operator that watches every namespace writes the whole totals and the budgets lose their scope', async () => {
    for (const operator of operators.splice(0)) await operator.stop();
    operators.push(await startOperator());
    await eventually(async () => expect(await instanceStatus(graph)).toMatchObject({ budgets: 2, current: { connections: 50, buffer: 10, percent: 60 } }));
    const status = await eventually(async () => {
      const s = await budgetStatus(nsA, 'svc');
      expect(s?.scope).toBeUndefined();
      return s;
    });
    expect(status?.conditions?.find((c) => c.type === 'WithinBudget')?.message).toBe(`Neo4jInstance ${graph} is Healthy: planned 60 %, current 60 % of 100`);
  });
});
