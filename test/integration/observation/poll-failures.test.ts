import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConditionType } from '../../../src/api/conditions.ts';
import { InstancePoller, type PollerDeps, type PollTarget } from '../../../src/controller/instance/instance-poller.ts';
import { observationConditions } from '../../../src/controller/instance/observation-status.ts';
import type { CredentialsResult } from '../../../src/neo4j/credentials.ts';
import { DriverRegistry, operatorUserAgent } from '../../../src/neo4j/driver-registry.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi } from '../../support/kube.ts';
import { instanceStatus, neo4jInstance } from '../../support/objects.ts';
import { neo4jCredentials, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const DAY_MS = 86_400_000;

/** A promise the test settles by hand, so that a poll can be held in flight. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const good = (): Promise<CredentialsResult> => {
  const { username, password } = neo4jCredentials();
  return Promise.resolve({ ok: true, credentials: { username, password } });
};

/**
 * The poller with the real driver against the real Neo4j; the credentials reader and the workload lookup
 * are the test's, so that a poll can be made to fail where no driver error would. Polled by hand (an
 * interval of a day) after the first poll that ensure() schedules at once.
 */
function poller(overrides: Partial<PollerDeps>, uri = neo4jCredentials().uri): { poller: InstancePoller; registry: DriverRegistry; results: boolean[]; target: PollTarget } {
  const registry = new DriverRegistry(operatorUserAgent('test'));
  const results: boolean[] = [];
  const instance = new InstancePoller({
    registry,
    readCredentials: good,
    userAgent: operatorUserAgent('test'),
    now: () => Date.now(),
    log: pino({ level: 'silent' }),
    workloadsOf: () => [],
    onPolled: () => undefined,
    onPollResult: (_instance, ok) => results.push(ok),
    ...overrides,
  });
  const target: PollTarget = { uri, secret: { namespace: 'ops', name: 'monitor' }, intervalMs: DAY_MS, leakGrowthPercentPerHour: 10, warningPercent: 80 };
  instance.ensure('graph', target);
  return { poller: instance, registry, results, target };
}

describe('polls that fail outside the sampler (in process, real driver and Neo4j)', () => {
  const pollers: InstancePoller[] = [];
  afterAll(async () => {
    for (const p of pollers) await p.stop();
  });

  it('forgetting an instance while its poll is in flight and then fails closes the driver all the same', async () => {
    let call = 0;
    const held = deferred<CredentialsResult>();
    const { poller: p, registry, results } = poller({ readCredentials: () => (++call === 1 ? good() : held.promise) });
    pollers.push(p);
    await eventually(() => expect(p.latest('graph')?.reachable).toBe(true), 20_000, 50);
    expect(registry.size()).toBe(1);

    const polling = p.pollNow('graph');
    await eventually(() => expect(call).toBe(2), 5_000, 10);
    const forgetting = p.forget('graph');
    held.reject(new Error('the API server went away'));
    await expect(forgetting).resolves.toBeUndefined();
    await expect(polling).resolves.toBeUndefined();
    expect(registry.size()).toBe(0);
    // The forgotten instance's failure is nobody's observation any more.
    expect(results).toEqual([true]);
  });

  it('a rejected credentials read is Reachable False PollFailed, not Unknown', async () => {
    const { poller: p, registry, results } = poller({ readCredentials: () => Promise.reject(new Error('socket hang up\nat a stack line')) });
    pollers.push(p);
    await eventually(() => expect(p.latest('graph')).toMatchObject({ reachable: false, reason: 'PollFailed', message: 'socket hang up' }), 5_000, 20);
    expect(results).toEqual([false]);
    expect(registry.size()).toBe(0);
    expect(observationConditions(p.latest('graph')).find((c) => c.type === ConditionType.Reachable)).toMatchObject({ status: 'False', reason: 'PollFailed' });
  });

  it('a failure after sampling is PollFailed too, with the password scrubbed from the message', async () => {
    const { password } = neo4jCredentials();
    let fail = false;
    const { poller: p } = poller({
      workloadsOf: () => {
        if (fail) throw new Error(`lookup failed near ${password}`);
        return [];
      },
    });
    pollers.push(p);
    await eventually(() => expect(p.latest('graph')?.reachable).toBe(true), 20_000, 50);
    fail = true;
    await p.pollNow('graph');
    expect(p.latest('graph')).toMatchObject({ reachable: false, reason: 'PollFailed', message: 'lookup failed near [redacted]' });
    fail = false;
    await p.pollNow('graph');
    expect(p.latest('graph')?.reachable).toBe(true);
  });

  it('a URI the driver refuses is Reachable False UriRejected with the driver\'s message, and no driver is kept', async () => {
    const { poller: p, registry } = poller({}, `${neo4jCredentials().uri}/?policy=eu`);
    pollers.push(p);
    await eventually(() => expect(p.latest('graph')).toMatchObject({ reachable: false, reason: 'UriRejected' }), 5_000, 20);
    const latest = p.latest('graph');
    expect(latest?.reachable === false && latest.message).toMatch(/^Parameters are not supported with none routed scheme/);
    expect(registry.size()).toBe(0);
  });
});

describe('URIs the CRD accepts and neo4j-driver refuses (operator process)', () => {
  const api = objectApi();
  let operator: OperatorProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;
  const reachable = async (name: string): Promise<{ status: string; reason: string; message: string } | undefined> =>
    (await instanceStatus(name))?.conditions?.find((c) => c.type === 'Reachable');
  const withUri = (uri: string): ReturnType<typeof neo4jInstance> => {
    const instance = created.objects[0] as ReturnType<typeof neo4jInstance>;
    return neo4jInstance(created.instanceName, { ...instance.spec, bolt: { ...(instance.spec.bolt as object), uri } });
  };

  beforeAll(async () => {
    created = await observedInstance();
    created.objects.splice(0, 1, withUri(`${neo4jCredentials().uri}/?policy=eu`));
    await applyAll(api, created.objects);
    operator = await startOperator(['--secret-namespaces', created.namespace]);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  it('a query on a bolt:// URI is Reachable False UriRejected, and a fixed URI recovers', async () => {
    await eventually(async () => expect(await reachable(created.instanceName)).toMatchObject({ status: 'False', reason: 'UriRejected' }), 20_000, 250);
    expect((await reachable(created.instanceName))?.message).toMatch(/^UriRejected: Parameters are not supported with none routed scheme/);
    await applyAll(api, [withUri(neo4jCredentials().uri)]);
    await eventually(async () => expect(await reachable(created.instanceName)).toMatchObject({ status: 'True' }), 20_000, 250);
  });

  it('a repeated query key on a neo4j:// URI is UriRejected too', async () => {
    const routed = neo4jCredentials().uri.replace(/^bolt:/, 'neo4j:');
    await applyAll(api, [withUri(`${routed}/?region=eu&region=us`)]);
    await eventually(async () => expect(await reachable(created.instanceName)).toMatchObject({ status: 'False', reason: 'UriRejected' }), 20_000, 250);
    expect((await reachable(created.instanceName))?.message).toContain('Duplicated query parameters with key \'region\'');
  });
});
