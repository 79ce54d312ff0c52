import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Condition } from '../../../src/api/conditions.ts';
import { restartNeo4j, stopNeo4j, type Neo4jState } from '../../../local/neo4j-server.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi } from '../../support/kube.ts';
import { boltBudget, budgetStatus, deployment, eventsAbout, instanceStatus, neo4jInstance, workloadState } from '../../support/objects.ts';
import { connectionsWithUserAgent, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const POLL_MS = 5_000;
const ORIGINAL = 'boltbudget.io/original-replicas';

/** A status as it is compared across runs: conditions by type, status and reason; no times, no sample figures. */
function comparable(status: { conditions?: Condition[]; observed?: unknown; [key: string]: unknown } | undefined): Record<string, unknown> {
  const { conditions = [], observed: _observed, ...rest } = status ?? {};
  return { ...rest, conditions: Object.fromEntries(conditions.map((c) => [c.type, `${c.status}/${c.reason}`])) };
}

describe('Neo4j stopped and restarted while a budget is in Scale', () => {
  let operator: OperatorProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;
  const reachable = async (): Promise<Condition | undefined> => (await instanceStatus(created.instanceName))?.conditions?.find((c) => c.type === 'Reachable');
  const polls = async (result: 'reached' | 'unreachable'): Promise<number> =>
    (await operator.metric('boltbudget_instance_polls_total', { neo4jinstance: created.instanceName, result })) ?? 0;
  const applied = (name: string): number => operator.count((line) => line.msg === 'enforcement applied' && line.target === `Deployment/${name}`);
  const scaledDown = async (name: string): Promise<number> => (await eventsAbout('Deployment', name, created.namespace)).filter((e) => e.reason === 'ScaledDown').length;

  beforeAll(async () => {
    created = await observedInstance();
    const observed = created.objects[0] as ReturnType<typeof neo4jInstance>;
    // Limit 100, no buffer, warning 80: 3 + 6 replicas of pool 10 declare 90 %; Scale lowers `low` 3 -> 2.
    created.objects.splice(0, 1, neo4jInstance(created.instanceName, { ...observed.spec, connectionLimit: 100, bufferPercent: 0 }));
    created.objects.push(
      deployment(created.namespace, 'low', 3, { type: 'Recreate' }),
      deployment(created.namespace, 'high', 6, { type: 'Recreate' }),
      boltBudget(created.namespace, 'apps', {
        instanceRef: { name: created.instanceName },
        enforcement: 'Scale',
        workloads: [
          { kind: 'Deployment', name: 'low', poolSize: 10, priority: 0 },
          { kind: 'Deployment', name: 'high', poolSize: 10, priority: 10 },
        ],
      }),
    );
    await applyAll(api, created.objects);
    operator = await startOperator(['--secret-namespaces', created.namespace]);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  it('Reachable goes False and back; the declared-view enforcement is neither undone nor applied again', { timeout: 240_000 }, async () => {
    // The undisturbed run: lowered once, reachable, settled (churn needs two samples).
    await eventually(async () => expect(await workloadState('Deployment', created.namespace, 'low')).toMatchObject({ replicas: 2, annotations: { [ORIGINAL]: '3' } }), 20_000, 250);
    await eventually(async () => expect(await reachable()).toMatchObject({ status: 'True' }), 20_000, 250);
    await eventually(async () => expect(await polls('reached')).toBeGreaterThanOrEqual(3), 4 * POLL_MS, 250);
    await eventually(async () => expect(await scaledDown('low')).toBe(1), 20_000, 250);
    const before = {
      instance: comparable(await instanceStatus(created.instanceName)),
      budget: comparable(await budgetStatus(created.namespace, 'apps')),
      low: await workloadState('Deployment', created.namespace, 'low'),
      high: await workloadState('Deployment', created.namespace, 'high'),
      lowWrites: applied('low'),
      highWrites: applied('high'),
    };
    // Lowered to 20 + 60 = 80 %: on the warning line, not over it.
    expect(before.instance).toMatchObject({ level: 'Healthy', current: { connections: 80 }, conditions: { Reachable: 'True/Polled' } });
    expect(before.high.replicas).toBe(6);

    const stateFile = inject('neo4jStateFile');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Neo4jState;
    await stopNeo4j(state);
    try {
      await eventually(async () => expect(await reachable()).toMatchObject({ status: 'False' }), 3 * POLL_MS, 250);
      // Two more failed polls, each followed by a reconcile of the instance and its budget: nothing moves.
      const failed = await polls('unreachable');
      await eventually(async () => expect(await polls('unreachable')).toBeGreaterThanOrEqual(failed + 2), 4 * POLL_MS, 250);
      const status = await instanceStatus(created.instanceName);
      expect(status?.observed).toBeUndefined();
      expect(comparable(status)).toMatchObject({ level: before.instance.level, planned: before.instance.planned, current: before.instance.current });
      expect(await workloadState('Deployment', created.namespace, 'low')).toEqual(before.low);
      expect(await workloadState('Deployment', created.namespace, 'high')).toEqual(before.high);
      expect([applied('low'), applied('high')]).toEqual([before.lowWrites, before.highWrites]);
    } finally {
      writeFileSync(stateFile, JSON.stringify(await restartNeo4j(state)));
    }

    await eventually(async () => expect(await reachable()).toMatchObject({ status: 'True' }), 60_000, 250);
    // Back to the undisturbed statuses once the observation has settled again (two samples for churn).
    await eventually(async () => expect(comparable(await instanceStatus(created.instanceName))).toEqual(before.instance), 4 * POLL_MS, 250);
    await eventually(async () => expect(comparable(await budgetStatus(created.namespace, 'apps'))).toEqual(before.budget), 4 * POLL_MS, 250);
    // Same workloads, same annotations and generation (no write at all), one ScaledDown in the whole run.
    expect(await workloadState('Deployment', created.namespace, 'low')).toEqual(before.low);
    expect(await workloadState('Deployment', created.namespace, 'high')).toEqual(before.high);
    expect([applied('low'), applied('high')]).toEqual([before.lowWrites, before.highWrites]);
    expect(await scaledDown('low')).toBe(1);
    expect(await scaledDown('high')).toBe(0);
    expect(operator.running()).toBe(true);
    expect(operator.count((line) => line.msg === 'unhandled rejection')).toBe(0);
    // Reconnected without a leak of its own: at most its pool of 2.
    expect(await connectionsWithUserAgent('boltbudget/')).toBeLessThanOrEqual(2);
  });
});
