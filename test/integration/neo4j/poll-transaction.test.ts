import neo4j from 'neo4j-driver';
import pino from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { InstancePoller } from '../../../src/controller/instance/instance-poller.ts';
import { DriverRegistry, operatorUserAgent } from '../../../src/neo4j/driver-registry.ts';
import { POLL_QUERIES, sampleInstance, type SampleResult } from '../../../src/neo4j/sampler.ts';
import { NEO4J_THREAD_POOL_MAX } from '../../global-setup.ts';
import { eventually } from '../../support/eventually.ts';
import { neo4jCredentials } from '../../support/observed-instance.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';

// Each test's driver has its own user agent, so that its listing counts only its own connections as own.
let drivers = 0;
const DAY_MS = 86_400_000;

/**
 * A lifetime shorter than any poll: the driver retires a connection at every acquire and release once it
 * is 1 ms old, the worst case of a poll slower than the operator's 2 s lifetime. A poll that acquired a
 * connection per query would use one per query.
 */
const SHORT_LIFETIME_MS = 1;

function credentials(): { username: string; password: string } {
  const { username, password } = neo4jCredentials();
  return { username, password };
}

function ok(result: SampleResult): Extract<SampleResult, { ok: true }> {
  if (!result.ok) throw new Error(`poll failed: ${result.code} ${result.message}`);
  return result;
}

describe('one poll, one transaction, one connection (real driver and Neo4j)', () => {
  const registries: DriverRegistry[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    for (const registry of registries) await registry.closeAll();
  });
  const registry = (lifetimeMs = SHORT_LIFETIME_MS): { registry: DriverRegistry; userAgent: string } => {
    drivers += 1;
    const userAgent = operatorUserAgent(`poll-transaction-test-${drivers}`);
    const created = new DriverRegistry(userAgent, lifetimeMs);
    registries.push(created);
    return { registry: created, userAgent };
  };

  it('all three queries of a poll run on the connection the listing shows as the operator\'s own, even past its lifetime', async () => {
    const { registry: shortLived, userAgent } = registry();
    const driver = await shortLived.driverFor('graph', neo4jCredentials().uri, credentials());
    const seen = new Set<string>();
    for (let poll = 0; poll < 3; poll += 1) {
      const result = ok(await sampleInstance(driver, userAgent, Date.now, 10_000));
      // SHOW TRANSACTIONS (the 2nd query) reports the poll's transaction on the connection that
      // dbms.listConnections() (the 1st) listed as the operator's one connection.
      expect(result.poll.connectionId).toMatch(/^bolt-\d+$/);
      expect(result.sample.ownIds).toEqual([result.poll.connectionId]);
      expect(result.poll.transactions).toBe(1);
      // SHOW SETTINGS (the 3rd) answered in the same transaction, and the poll's own transaction is
      // not counted as an application's running connection.
      expect(result.degraded).toEqual([]);
      expect(result.sample.threadPoolMaxSize).toBe(NEO4J_THREAD_POOL_MAX);
      expect(result.sample.running).not.toContain(result.poll.connectionId);
      seen.add(result.poll.connectionId ?? '');
    }
    // Each poll took a fresh connection (the lifetime retired the last one): the server's counter.
    expect(seen.size).toBe(3);
  });

  it('the churn counter counts only the applications\' connections, not the poll\'s own', async () => {
    let clock = Date.now();
    const { registry: shortLived, userAgent } = registry();
    const poller = new InstancePoller({
      registry: shortLived,
      readCredentials: () => Promise.resolve({ ok: true, credentials: credentials() }),
      userAgent,
      now: () => clock,
      log: pino({ level: 'silent' }),
      workloadsOf: () => [],
      onPolled: () => undefined,
    });
    cleanups.push(() => poller.stop());
    poller.ensure('graph', { uri: neo4jCredentials().uri, secret: { namespace: 'ops', name: 'monitor' }, intervalMs: DAY_MS, leakGrowthPercentPerHour: 10, warningPercent: 80 });
    await eventually(() => expect(poller.latest('graph')?.reachable).toBe(true), 20_000, 50);
    // A minute between samples: the per-minute figures are the counts themselves.
    const figures = async (): Promise<{ openedPerMinute?: number; closedPerMinute?: number }> => {
      clock += 60_000;
      await poller.pollNow('graph');
      const latest = poller.latest('graph');
      if (!latest?.reachable) throw new Error('poll failed');
      return latest.observation.figures;
    };
    // Nothing else opened a connection: two polls, each with its own fresh connection, count none.
    expect(await figures()).toMatchObject({ openedPerMinute: 0, closedPerMinute: 0 });
    expect(await figures()).toMatchObject({ openedPerMinute: 0, closedPerMinute: 0 });

    // The counter does count: one application connection opened and closed between two polls.
    const { uri, username, password } = neo4jCredentials();
    const app = neo4j.driver(uri, neo4j.auth.basic(username, password), { userAgent: 'short-lived/1.0', maxConnectionPoolSize: 1 });
    await app.executeQuery('RETURN 1');
    await app.close();
    expect(await figures()).toMatchObject({ openedPerMinute: 1, closedPerMinute: 1 });
    expect(await figures()).toMatchObject({ openedPerMinute: 0, closedPerMinute: 0 });
  });

  it('a query the server refuses degrades alone, with the code it gets on its own, and the rest of the poll goes on', async () => {
    const { registry: longLived, userAgent } = registry(60_000);
    const driver = await longLived.driverFor('graph', neo4jCredentials().uri, credentials());
    // Community refuses these administration commands; inside the poll's transaction the server
    // would say ForbiddenDueToTransactionType instead, so the refused query is tried alone once.
    const refusedTransactions = ok(await sampleInstance(driver, userAgent, Date.now, 10_000, { ...POLL_QUERIES, showTransactions: 'SHOW PRIVILEGES' }));
    expect(refusedTransactions.degraded).toEqual([{ figure: 'running', code: 'Neo.ClientError.Statement.UnsupportedAdministrationCommand', message: 'Unsupported administration command: SHOW PRIVILEGES' }]);
    expect(refusedTransactions.sample.running).toBeUndefined();
    expect(refusedTransactions.sample.threadPoolMaxSize).toBe(NEO4J_THREAD_POOL_MAX);
    expect(refusedTransactions.sample.own).toBe(1);
    // The shared transaction, the refused query alone, and one more for the rest.
    expect(refusedTransactions.poll.transactions).toBe(3);

    const refusedSettings = ok(await sampleInstance(driver, userAgent, Date.now, 10_000, { ...POLL_QUERIES, threadPoolMax: 'SHOW ROLES' }));
    expect(refusedSettings.degraded).toEqual([{ figure: 'threadPoolMaxSize', code: 'Neo.ClientError.Statement.UnsupportedAdministrationCommand', message: 'Unsupported administration command: SHOW ROLES' }]);
    expect(refusedSettings.sample.threadPoolMaxSize).toBeUndefined();
    expect(refusedSettings.sample.running).toEqual(expect.any(Array));
    expect(refusedSettings.sample.ownIds).toEqual([refusedSettings.poll.connectionId]);
    expect(refusedSettings.poll.transactions).toBe(2);

    const refusedListing = await sampleInstance(driver, userAgent, Date.now, 10_000, { ...POLL_QUERIES, listConnections: 'SHOW PRIVILEGES' });
    expect(refusedListing).toEqual({ ok: false, code: 'Neo.ClientError.Statement.UnsupportedAdministrationCommand', message: 'Unsupported administration command: SHOW PRIVILEGES' });
  });

  it('a stalled server: the poll gives up at its timeout while the server still answers nothing, and the next poll after it works within the pool of 2', async () => {
    const proxy = await TcpProxy.start(inject('neo4j').boltPort);
    cleanups.push(() => proxy.close());
    const { registry: longLived, userAgent } = registry(60_000);
    const driver = await longLived.driverFor('graph', `bolt://127.0.0.1:${proxy.port}`, credentials());
    ok(await sampleInstance(driver, userAgent, Date.now, 10_000));

    proxy.pause();
    const started = Date.now();
    const stalled = await sampleInstance(driver, userAgent, Date.now, 1_000);
    // Resumed only now: the poll above ended while the server behind the proxy could answer nothing.
    proxy.resume();
    expect(stalled).toEqual({ ok: false, code: 'PollTimedOut', message: 'the poll got no answer within 1000 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);

    const after = ok(await sampleInstance(driver, userAgent, Date.now, 10_000));
    expect(after.sample.own).toBeLessThanOrEqual(2);
    expect(after.sample.ownIds).toContain(after.poll.connectionId);
  });
});
