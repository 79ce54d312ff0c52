import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi } from '../../support/kube.ts';
import { startLoad, type LoadProcess } from '../../../local/load/load-process.ts';
import { instanceStatus } from '../../support/objects.ts';
import { neo4jCredentials, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const conditionOf = async (instance: string, type: string): Promise<{ status: string; reason: string; message: string } | undefined> =>
  (await instanceStatus(instance))?.conditions?.find((c) => c.type === type);

describe('churn against the real Neo4j', () => {
  let operator: OperatorProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;
  let load: LoadProcess | undefined;

  beforeAll(async () => {
    created = await observedInstance();
    await applyAll(api, created.objects);
    operator = await startOperator(['--secret-namespaces', created.namespace]);
  });
  afterAll(async () => {
    await load?.stop();
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  it('a driver per query drives HighChurn to True, with the opened rate in status', async () => {
    load = await startLoad('churn', { rate: 20, userAgent: 'churner/1.0', durationMs: 60_000 }, neo4jCredentials());
    await eventually(async () => expect(await conditionOf(created.instanceName, 'HighChurn')).toMatchObject({ status: 'True', reason: 'ChurnHigh' }), 30_000, 500);
    const observed = (await instanceStatus(created.instanceName))?.observed;
    // 20 drivers a second are about 1200 a minute; a poll sees almost none of them alive.
    expect(observed?.openedPerMinute).toBeGreaterThan(600);
    expect(observed?.closedPerMinute).toBeGreaterThan(600);
    expect(await conditionOf(created.instanceName, 'LeakSuspected')).toMatchObject({ status: 'False' });
    await load.stop();
  });

  it('a healthy pooled application leaves HighChurn and LeakSuspected False', async () => {
    load = await startLoad('pooled', { rate: 20, userAgent: 'pooled/1.0', durationMs: 60_000 }, neo4jCredentials());
    // The first samples after the switch still count the churn generator's last connections.
    await eventually(async () => {
      expect(await conditionOf(created.instanceName, 'HighChurn')).toMatchObject({ status: 'False', reason: 'ChurnLow' });
      expect((await instanceStatus(created.instanceName))?.observed?.openedPerMinute).toBeLessThan(60);
    }, 30_000, 500);
    // A pool warming up over seconds is no hourly trend: the leak window needs 10 minutes of samples
    // (the leak suite drives that window with an injected clock).
    expect(await conditionOf(created.instanceName, 'LeakSuspected')).toMatchObject({ status: 'False', reason: 'NotEnoughSamples' });
  });
});
