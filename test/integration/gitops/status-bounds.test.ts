import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neo4jInstanceStatus } from '../../../src/api/neo4j-instance.ts';
import { MAX_STATUS_COUNT } from '../../../src/controller/status-bounds.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, instanceStatus, neo4jInstance } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const INT32_MAX = 2_147_483_647;
const ready = (conditions: { type: string; status: string; message: string }[] | undefined): { status: string; message: string } | undefined =>
  conditions?.find((c) => c.type === 'Ready');

describe('counts far past any real cluster still make a status the API server takes', () => {
  const ns = uniqueName('huge');
  const tiny = uniqueName('tiny-graph');
  const crowded = uniqueName('crowded-graph');
  const names = Array.from({ length: 100 }, (_, i) => `w-${i}`);
  const declared = names.map((name) => ({ kind: 'Deployment', name, poolSize: 10_000, replicas: 100_000 }));
  // The same 100 Deployments at 2^31 - 1 replicas (a Deployment's most), listed by five budgets: 1.07 x 10^16 connections.
  const fromLive = names.map((name) => ({ kind: 'Deployment', name, poolSize: 10_000 }));
  const objects = [
    neo4jInstance(tiny, { connectionLimit: 1 }),
    neo4jInstance(crowded, { connectionLimit: 1 }),
    ...names.map((name) => deployment(ns, name, INT32_MAX, { type: 'Recreate' })),
    boltBudget(ns, 'declared', { instanceRef: { name: tiny }, enforcement: 'Observe', workloads: declared }),
    ...['a', 'b', 'c', 'd', 'e'].map((name) => boltBudget(ns, name, { instanceRef: { name: crowded }, enforcement: 'Observe', workloads: fromLive })),
  ];
  let operator: OperatorProcess;

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    operator = await startOperator();
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, objects);
  });

  it('100 workloads x pool 10,000 x 100,000 replicas on a limit of 1: exact figures written on the budget and the instance', async () => {
    const budget = await eventually(async () => {
      const status = await budgetStatus(ns, 'declared');
      expect(status?.observedGeneration).toBe(1);
      return status;
    });
    expect(budget).toMatchObject({ level: 'Exceeded', planned: { connections: 100_000_000_000 }, sharePercent: 10_000_000_000_000 });
    expect(ready(budget?.conditions)).toMatchObject({ status: 'True', message: '100 workloads added up' });
    const instance = await eventually(async () => {
      const status = await instanceStatus(tiny);
      expect(status?.planned?.connections).toBe(100_000_000_000);
      return status;
    });
    expect(instance?.planned).toEqual({ connections: 100_000_000_000, buffer: 20_000_000_000, percent: 12_000_000_000_000 });
    expect(operator.count((line) => /422|Unprocessable|Invalid value/.test(JSON.stringify(line)))).toBe(0);
  });

  it('sums past 2^53 - 1: saturated at it, said in Ready, written all the same', async () => {
    const instance = await eventually(async () => {
      const status = await instanceStatus(crowded);
      expect(status?.budgets).toBe(5);
      return status;
    });
    expect(neo4jInstanceStatus.safeParse(instance).success).toBe(true);
    expect(instance?.current?.connections).toBe(MAX_STATUS_COUNT);
    expect(instance?.level).toBe('Exceeded');
    expect(ready(instance?.conditions)?.message).toBe(
      // The buffers (20 % of the sums) still fit; the sums and the percents (100 x 1.2 x the sums) do not.
      `5 budgets added up; figures past ${MAX_STATUS_COUNT} are shown as ${MAX_STATUS_COUNT}: planned.connections, planned.percent, current.connections, current.percent, peak.connections and 1 more`,
    );
    const budget = await eventually(async () => {
      const status = await budgetStatus(ns, 'e');
      expect(status?.sharePercent).toBe(MAX_STATUS_COUNT);
      return status;
    });
    expect(budget?.planned?.connections).toBe(2_147_483_647_000_000);
    expect(ready(budget?.conditions)?.message).toBe(`100 workloads added up; figures past ${MAX_STATUS_COUNT} are shown as ${MAX_STATUS_COUNT}: sharePercent`);
    expect(operator.count((line) => /422|Unprocessable|Invalid value/.test(JSON.stringify(line)))).toBe(0);
  });
});
