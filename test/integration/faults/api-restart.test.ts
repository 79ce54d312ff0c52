import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { restartApiServer } from '../../../local/control-plane.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, eventsAbout, instanceStatus, neo4jInstance, workloadState } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const FLAG = 'boltbudget.io/over-budget';
/** The informers' restart backoff is capped at 30 s (src/k8s/watched-cache.ts), plus a reconcile. */
const CATCH_UP_MS = 45_000;

describe('the API server stopped and restarted while the operator keeps running', () => {
  const ns = uniqueName('apirestart');
  const instanceName = uniqueName('graph');
  const svc = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'svc', replicas, { type: 'Recreate' });
  const objects = [
    neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }),
    svc(5),
    boltBudget(ns, 'svc', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] }),
  ];
  let operator: OperatorProcess;
  const flag = async (): Promise<Record<string, unknown> | undefined> => {
    const value = (await workloadState('Deployment', ns, 'svc')).annotations[FLAG];
    return value === undefined ? undefined : (JSON.parse(value) as Record<string, unknown>);
  };
  const annotationWrites = (): number => operator.count((line) => line.msg === 'enforcement applied' && line.target === 'Deployment/svc');

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    operator = await startOperator();
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, objects);
  });

  it('a change made just before the stop and one made after the restart both converge, each applied once', { timeout: 240_000 }, async () => {
    await eventually(async () => expect(await instanceStatus(instanceName)).toMatchObject({ level: 'Healthy', current: { connections: 50 } }));

    // Just before the stop: the operator may or may not see it before the API server goes away.
    await applyAll(api, [svc(9)]);
    const restarted = await restartApiServer(inject('controlPlaneStateFile'), {
      // Down until the operator has noticed (a positive signal, not a fixed sleep).
      whileDown: async () => {
        await operator.waitForLog('a watch failing while the API server is down', (line) => line.msg === 'watch failed; restarting it', 30_000);
      },
    });
    expect(restarted.apiserverPid).toBeGreaterThan(0);

    await eventually(async () => expect(await instanceStatus(instanceName)).toMatchObject({ level: 'Warning', current: { connections: 90 } }), CATCH_UP_MS, 250);
    await eventually(async () => expect(await flag()).toEqual({ budget: 'svc', instance: instanceName, level: 'Warning', percent: 90 }), CATCH_UP_MS, 250);

    // After the restart: the watches are back, so it follows within a reconcile.
    await applyAll(api, [svc(10)]);
    await eventually(async () => expect(await flag()).toMatchObject({ level: 'Critical', percent: 100 }), 20_000, 250);
    await eventually(async () => expect(await instanceStatus(instanceName)).toMatchObject({ level: 'Critical', current: { connections: 100 } }), 20_000, 250);
    await applyAll(api, [svc(5)]);
    await eventually(async () => expect(await flag()).toBeUndefined(), 20_000, 250);
    await eventually(async () => expect(await instanceStatus(instanceName)).toMatchObject({ level: 'Healthy', current: { connections: 50 } }), 20_000, 250);

    // Same events as an undisturbed run (flag.test.ts): one per transition, none repeated after the restart.
    await eventually(async () =>
      expect((await eventsAbout('Deployment', 'svc', ns)).map((event) => [event.reason, event.type])).toEqual([
        ['OverBudget', 'Warning'],
        ['OverBudget', 'Warning'],
        ['WithinBudget', 'Normal'],
      ]),
    );
    // One annotation write per transition (set, raise, clear).
    expect(annotationWrites()).toBe(3);
    expect(operator.running()).toBe(true);
    expect(operator.count((line) => line.msg === 'unhandled rejection')).toBe(0);
    // The restarted server's watch cache begins at its own start: a watch resuming from an older
    // resourceVersion gets 410 Gone, and the informer relists instead of missing what changed.
    expect(operator.count((line) => line.msg === 'relisted after the watch could not resume')).toBeGreaterThan(0);
    console.log(`after the restart: ${operator.count((line) => line.msg === 'relisted after the watch could not resume')} relists, ${operator.count((line) => line.msg === 'watch failed; restarting it')} watch restarts`);
  });
});
