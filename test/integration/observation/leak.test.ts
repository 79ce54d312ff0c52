import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConditionType } from '../../../src/api/conditions.ts';
import { InstancePoller } from '../../../src/controller/instance/instance-poller.ts';
import { observationConditions } from '../../../src/controller/instance/observation-status.ts';
import { DriverRegistry, operatorUserAgent } from '../../../src/neo4j/driver-registry.ts';
import { startLoad, type LoadProcess } from '../../../local/load/load-process.ts';
import { neo4jCredentials } from '../../support/observed-instance.ts';

const TEN_MINUTES = 600_000;

/**
 * The poller with the real driver against the real Neo4j, but on an injected clock: each poll is ten
 * minutes later than the one before, so an hour's window passes in seconds.
 */
function pollerOnFakeClock(workloadKey: string, userAgent: string): { poller: InstancePoller; advance: () => void } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const credentials = neo4jCredentials();
  const poller = new InstancePoller({
    registry: new DriverRegistry(operatorUserAgent('test')),
    readCredentials: () => Promise.resolve({ ok: true, credentials: { username: credentials.username, password: credentials.password } }),
    userAgent: operatorUserAgent('test'),
    now: () => now,
    log: pino({ level: 'silent' }),
    workloadsOf: () => [{ key: workloadKey, podIps: new Set<string>(), userAgent }],
    onPolled: () => undefined,
  });
  // An interval of a day: the test polls by hand.
  poller.ensure('graph', { uri: credentials.uri, secret: { namespace: 'ops', name: 'monitor' }, intervalMs: 86_400_000, leakGrowthPercentPerHour: 10, warningPercent: 80 });
  return { poller, advance: () => (now += TEN_MINUTES) };
}

async function pollSeries(poller: InstancePoller, advance: () => void, polls: number): Promise<void> {
  await sleep(200); // the first poll, scheduled at once by ensure()
  for (let i = 0; i < polls; i += 1) {
    await sleep(1200);
    advance();
    await poller.pollNow('graph');
  }
}

describe('leak detection over a window driven by an injected clock', () => {
  const loads: LoadProcess[] = [];
  const pollers: InstancePoller[] = [];
  // Each test's generators stop when it ends, passed or not: a leak left running holds Bolt threads.
  afterEach(async () => {
    for (const load of loads.splice(0)) await load.stop();
  });
  afterAll(async () => {
    for (const poller of pollers) await poller.stop();
  });

  it('a generator that never closes its sessions and keeps growing drives LeakSuspected to True', async () => {
    const { poller, advance } = pollerOnFakeClock('leaky/Deployment/leaky-api', 'leaky-api/*');
    pollers.push(poller);
    loads.push(await startLoad('leak', { count: 40, intervalMs: 250, userAgent: 'leaky-api/1.0', durationMs: 60_000 }, neo4jCredentials()));
    await pollSeries(poller, advance, 5);
    const latest = poller.latest('graph');
    expect(latest?.reachable).toBe(true);
    if (!latest?.reachable) return;
    expect(latest.observation.leak).toMatchObject({ suspected: true, reason: 'Growing' });
    expect(latest.observation.leakingWorkloads).toEqual(['leaky/Deployment/leaky-api']);
    const condition = observationConditions(latest).find((c) => c.type === ConditionType.LeakSuspected);
    expect(condition).toMatchObject({ status: 'True', reason: 'Growing' });
    expect(condition?.message).toMatch(/grew .* % per hour over 50 min \(threshold 10 %\), opened \d+ > closed \d+; growing like a leak: leaky\/Deployment\/leaky-api/);
  });

  it('a healthy pooled generator over the same window leaves LeakSuspected False', async () => {
    // The generator is ready once its pool is full: the window then sees a pool in its steady state
    // (a pool still growing toward its maximum would rightly read as growth).
    loads.push(await startLoad('pooled', { rate: 20, userAgent: 'healthy-api/1.0', durationMs: 60_000 }, neo4jCredentials()));
    const { poller, advance } = pollerOnFakeClock('healthy/Deployment/api', 'healthy-api/*');
    pollers.push(poller);
    await pollSeries(poller, advance, 5);
    const latest = poller.latest('graph');
    expect(latest?.reachable).toBe(true);
    if (!latest?.reachable) return;
    expect(latest.observation.leak).toMatchObject({ suspected: false, reason: 'Stable' });
    expect(latest.observation.leakingWorkloads).toEqual([]);
    expect(observationConditions(latest).find((c) => c.type === ConditionType.LeakSuspected)).toMatchObject({ status: 'False', reason: 'Stable' });
  });
});
