import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, eventsAbout, instanceStatus, neo4jInstance, resourceVersionOf } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { laterReconciles } from '../../support/reconciles.ts';

const api = objectApi();

describe('events on transitions, and a quiet minute', () => {
  const ns = uniqueName('events');
  const instanceName = uniqueName('graph');
  // limit 100, no buffer: pool 10 x replicas is the percent itself.
  const instance = neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0, warningPercent: 80, criticalPercent: 95 });
  const svc = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'svc', replicas, { type: 'Recreate' });
  const budget = boltBudget(ns, 'svc', { instanceRef: { name: instanceName }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] });
  let operator: OperatorProcess;

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, [instance, svc(5), budget]);
    operator = await startOperator(['--resync-seconds', '5', '--event-namespace', 'default', '--log-level', 'debug']);
  });
  afterAll(async () => {
    await operator.stop();
    expect(operator.exitCode).toBe(0);
    await deleteAll(api, [instance, svc(0), budget]);
  });

  it('emits exactly one event per level transition', async () => {
    await eventually(async () => expect((await instanceStatus(instanceName))?.level).toBe('Healthy'));
    for (const [replicas, level] of [
      [9, 'Warning'],
      [10, 'Critical'],
      [11, 'Exceeded'],
      [4, 'Healthy'],
    ] as const) {
      await applyAll(api, [svc(replicas)]);
      await eventually(async () => expect((await instanceStatus(instanceName))?.level).toBe(level));
    }
    // Two more reconciles of the instance (the watch echo of its last write, then a resync): none may add an event.
    await laterReconciles(operator, { neo4jInstance: instanceName });
    const events = await eventsAbout('Neo4jInstance', instanceName, 'default');
    expect(events.map((event) => [event.reason, event.type])).toEqual([
      ['LevelWarning', 'Warning'],
      ['LevelCritical', 'Warning'],
      ['LevelExceeded', 'Warning'],
      ['LevelHealthy', 'Normal'],
    ]);
    expect(events[0]?.note).toMatch(/rose to Warning from Healthy/);
    expect(events[3]?.note).toMatch(/fell to Healthy from Exceeded/);
  });

  it('writes nothing in a quiet minute after convergence, across twelve resyncs', { timeout: 90_000 }, async () => {
    const writesBefore = (await operator.metric('boltbudget_status_writes_total', { kind: 'Neo4jInstance' })) ?? 0;
    const budgetWritesBefore = (await operator.metric('boltbudget_status_writes_total', { kind: 'BoltBudget' })) ?? 0;
    const versions = [await resourceVersionOf('instance', instanceName), await resourceVersionOf('budget', 'svc', ns)];
    const eventsBefore = (await eventsAbout('Neo4jInstance', instanceName, 'default')).length;
    const reconcilesBefore = (await operator.metric('boltbudget_reconcile_duration_seconds_count', { kind: 'BoltBudget' })) ?? 0;

    await sleep(60_000);

    expect([await resourceVersionOf('instance', instanceName), await resourceVersionOf('budget', 'svc', ns)]).toEqual(versions);
    expect((await operator.metric('boltbudget_status_writes_total', { kind: 'Neo4jInstance' })) ?? 0).toBe(writesBefore);
    expect((await operator.metric('boltbudget_status_writes_total', { kind: 'BoltBudget' })) ?? 0).toBe(budgetWritesBefore);
    expect((await eventsAbout('Neo4jInstance', instanceName, 'default')).length).toBe(eventsBefore);
    // The minute was not quiet because nothing ran: the resyncs reconciled the budget again and again.
    expect(((await operator.metric('boltbudget_reconcile_duration_seconds_count', { kind: 'BoltBudget' })) ?? 0) - reconcilesBefore).toBeGreaterThanOrEqual(10);
  });
});

describe('an event the API server does not take', () => {
  const instanceName = uniqueName('graph');
  // 11 x 10 of 100 with no buffer: Exceeded from the first reconcile, so a LevelExceeded event is due.
  const ns = uniqueName('lost-events');
  const instance = neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 });
  const objects = [instance, deployment(ns, 'svc', 11, { type: 'Recreate' }), boltBudget(ns, 'svc', { instanceRef: { name: instanceName }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] })];
  let operator: OperatorProcess;

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    // Events about the cluster-scoped instance go to a namespace that does not exist: every create fails.
    operator = await startOperator(['--resync-seconds', '1', '--event-namespace', uniqueName('no-such-namespace'), '--log-level', 'debug']);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, objects);
  });

  it('is counted and logged once, never retried into a second status write', async () => {
    await eventually(async () => expect((await instanceStatus(instanceName))?.level).toBe('Exceeded'));
    await eventually(async () => expect(await operator.metric('boltbudget_events_lost_total', { reason: 'LevelExceeded' })).toBe(1));
    await laterReconciles(operator, { neo4jInstance: instanceName });
    expect(operator.count((line) => line.msg?.startsWith('event not recorded') === true && line.neo4jInstance === instanceName)).toBe(1);
    expect(await operator.metric('boltbudget_events_lost_total', { reason: 'LevelExceeded' })).toBe(1);
    expect(operator.count((line) => line.msg === 'instance status written' && line.neo4jInstance === instanceName)).toBe(1);
  });
});
