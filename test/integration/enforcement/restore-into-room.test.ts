import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi } from '../../support/kube.ts';
import { startLoad, type LoadProcess } from '../../../local/load/load-process.ts';
import { boltBudget, budgetStatus, deployment, eventsAbout, instanceStatus, workloadState } from '../../support/objects.ts';
import { neo4jCredentials, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';

const api = objectApi();
const ORIGINAL = 'boltbudget.io/original-replicas';

describe('restore only into room (DESIGN section 8): the live server loaded from outside any budget', () => {
  let operator: OperatorProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;
  let load: LoadProcess | undefined;
  let ns = '';
  const budget = (poolSize: number): ReturnType<typeof boltBudget> =>
    boltBudget(ns, 'apps', { instanceRef: { name: created.instanceName }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: 'svc', poolSize }] });

  beforeAll(async () => {
    // limit 40, no buffer, warning 80: svc 9 x pool 4 = 90 % is lowered to 8 (80 %). (The test server's
    // Bolt thread pool is 40: the outside load opens fewer connections than that at once.)
    created = await observedInstance({ connectionLimit: 40 });
    ns = created.namespace;
    const [instance] = created.objects as [{ spec: Record<string, unknown> }];
    instance.spec.bufferPercent = 0;
    await applyAll(api, [...created.objects, deployment(ns, 'svc', 9, { type: 'Recreate' }), budget(4)]);
    operator = await startOperator(['--secret-namespaces', ns, '--log-level', 'debug', '--resync-seconds', '1']);
  });
  afterAll(async () => {
    await load?.stop();
    await operator.stop();
    await deleteAll(api, [budget(4), deployment(ns, 'svc', 9), ...created.objects]);
  });

  it('keeps the lowered replicas while the observed view has no room, though the declared views have plenty', { timeout: 120_000 }, async () => {
    await eventually(async () => expect(await workloadState('Deployment', ns, 'svc')).toMatchObject({ replicas: 8, annotations: { [ORIGINAL]: '9' } }));
    // 34 connections from outside any budget: the live server is at 85 %.
    load = await startLoad('idle', { count: 34, userAgent: 'outsider/1.0', durationMs: 110_000 }, neo4jCredentials());
        await eventually(async () => expect((await instanceStatus(created.instanceName))?.observed?.connections).toBeGreaterThanOrEqual(34), 30_000, 250);

    // Pool 4 -> 2: current 8 x 2 = 16 (40 %), planned the same; one replica back would be 45 %, well under 70 %.
    await applyAll(api, [budget(2)]);
    await eventually(async () => expect((await budgetStatus(ns, 'apps'))?.current?.connections).toBe(16));
    await laterBudgetReconciles(operator, `${ns}/apps`);
    // The observed view (34 + 2 = 90 %) is no room: nothing comes back, and the status says what waits.
    expect(await workloadState('Deployment', ns, 'svc')).toMatchObject({ replicas: 8, annotations: { [ORIGINAL]: '9' } });
    expect((await instanceStatus(created.instanceName))?.observed?.connections).toBeGreaterThanOrEqual(34);
    expect((await budgetStatus(ns, 'apps'))?.plan).toEqual([expect.objectContaining({ name: 'svc', from: 9, to: 8 })]);
  });

  it('gives the replicas back once the outside load is gone', { timeout: 60_000 }, async () => {
    await load?.stop();
    load = undefined;
    await eventually(async () => expect((await instanceStatus(created.instanceName))?.observed?.connections).toBeLessThan(8), 30_000, 250);
    await eventually(async () => expect((await workloadState('Deployment', ns, 'svc')).replicas).toBe(9), 20_000);
    expect((await workloadState('Deployment', ns, 'svc')).annotations[ORIGINAL]).toBeUndefined();
    await eventually(async () => expect((await eventsAbout('Deployment', 'svc', ns)).filter((e) => e.reason === 'Restored')).toHaveLength(1));
  });
});
