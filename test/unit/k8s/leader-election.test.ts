import type { V1Lease } from '@kubernetes/client-node';
import { ApiException } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaderElector } from '../../../src/k8s/leader-election.ts';
import type { LeaseClient } from '../../../src/k8s/lease-client.ts';

const TIMING = { leaseDurationSeconds: 15, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
const LEASE_MS = TIMING.leaseDurationSeconds * 1000;
const log = pino({ level: 'silent' });

/** One Lease with optimistic concurrency, as the API server keeps it. */
class FakeLeaseStore {
  lease: V1Lease | undefined;
  private version = 0;
  writes: V1Lease[] = [];

  read(): V1Lease | undefined {
    return this.lease && structuredClone(this.lease);
  }

  write(lease: V1Lease, creating: boolean): V1Lease {
    if (creating ? this.lease !== undefined : lease.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) throw new ApiException(409, 'Conflict', {}, {});
    this.version += 1;
    this.lease = { ...structuredClone(lease), metadata: { ...lease.metadata, resourceVersion: String(this.version) } };
    this.writes.push(this.lease);
    return structuredClone(this.lease);
  }
}

/** A candidate's connection to the store; frozen, its requests hang until their signal aborts. */
class FakeConnection implements LeaseClient {
  frozen = false;
  aborted = 0;
  private readonly store: FakeLeaseStore;

  constructor(store: FakeLeaseStore) {
    this.store = store;
  }

  read(signal: AbortSignal): Promise<V1Lease | undefined> {
    return this.call(signal, () => this.store.read());
  }

  create(lease: V1Lease, signal: AbortSignal): Promise<V1Lease> {
    return this.call(signal, () => this.store.write(lease, true));
  }

  replace(lease: V1Lease, signal: AbortSignal): Promise<V1Lease> {
    return this.call(signal, () => this.store.write(lease, false));
  }

  private call<T>(signal: AbortSignal, answer: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        this.aborted += 1;
        reject(signal.reason as Error);
      };
      if (this.frozen) {
        signal.addEventListener('abort', onAbort, { once: true });
        return;
      }
      // A request takes a few milliseconds.
      setTimeout(() => {
        try {
          resolve(answer());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }, 5);
    });
  }
}

interface Candidate {
  elector: LeaderElector;
  connection: FakeConnection;
  startedAt: number[];
  stoppedAt: number[];
}

function candidate(store: FakeLeaseStore, identity: string): Candidate {
  const connection = new FakeConnection(store);
  const elector = new LeaderElector(connection, { namespace: 'ns', name: 'lease', identity, ...TIMING }, log);
  const result: Candidate = { elector, connection, startedAt: [], stoppedAt: [] };
  elector.start({ onStartedLeading: () => result.startedAt.push(Date.now()), onStoppedLeading: () => result.stoppedAt.push(Date.now()) });
  return result;
}

/** Releases with the fake clock running (its requests take fake milliseconds). */
async function release(...candidates: Candidate[]): Promise<void> {
  const released = Promise.all(candidates.map((c) => c.elector.release()));
  await vi.advanceTimersByTimeAsync(100);
  await released;
}

describe('LeaderElector', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-22T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('acquires a missing lease at once and renews it every retry period', async () => {
    const store = new FakeLeaseStore();
    const a = candidate(store, 'a');
    await vi.advanceTimersByTimeAsync(100);
    expect(a.startedAt).toHaveLength(1);
    expect(store.lease?.spec?.holderIdentity).toBe('a');
    const writes = store.writes.length;
    await vi.advanceTimersByTimeAsync(5 * TIMING.retryPeriodMs);
    expect(store.writes.length - writes).toBeGreaterThanOrEqual(4);
    expect(a.stoppedAt).toEqual([]);
    await release(a);
  });

  it('a standby takes over a lease duration after its own first sighting of the last renewal, not before', async () => {
    const store = new FakeLeaseStore();
    const a = candidate(store, 'a');
    await vi.advanceTimersByTimeAsync(100);
    const b = candidate(store, 'b');
    await vi.advanceTimersByTimeAsync(3 * TIMING.retryPeriodMs);
    expect(b.startedAt).toEqual([]);
    // The leader freezes: its last renewal is the one in the store now.
    a.connection.frozen = true;
    const lastRenewal = store.writes.at(-1)!;
    const lastRenewTime = new Date(lastRenewal.spec!.renewTime!).getTime();
    await vi.advanceTimersByTimeAsync(LEASE_MS + 3 * TIMING.retryPeriodMs);
    expect(b.startedAt).toHaveLength(1);
    const tookOver = b.startedAt[0]!;
    // Safety: not before the lease duration has passed since the renewal was written.
    expect(tookOver).toBeGreaterThanOrEqual(lastRenewTime + LEASE_MS);
    // Liveness: first sighting within one retry period of the renewal, the next attempt within another.
    expect(tookOver).toBeLessThanOrEqual(lastRenewTime + LEASE_MS + 2 * TIMING.retryPeriodMs + 20);
    // The frozen leader had stopped acting before the standby began.
    expect(a.stoppedAt).toHaveLength(1);
    expect(a.stoppedAt[0]!).toBeLessThan(tookOver);
    await release(b);
    await release(a);
  });

  it('a holder whose renewal hangs stops at the renew deadline counted from its last successful renewal\'s start', async () => {
    const store = new FakeLeaseStore();
    const a = candidate(store, 'a');
    await vi.advanceTimersByTimeAsync(100);
    const lastRenewTime = new Date(store.writes.at(-1)!.spec!.renewTime!).getTime();
    a.connection.frozen = true;
    await vi.advanceTimersByTimeAsync(TIMING.renewDeadlineMs - 200);
    expect(a.stoppedAt).toEqual([]);
    expect(a.elector.isLeader()).toBe(true);
    await vi.advanceTimersByTimeAsync(400);
    expect(a.stoppedAt).toHaveLength(1);
    expect(a.stoppedAt[0]).toBe(lastRenewTime + TIMING.renewDeadlineMs);
    expect(a.elector.isLeader()).toBe(false);
    // The hung request was cancelled, not left behind.
    expect(a.connection.aborted).toBeGreaterThanOrEqual(1);
    await release(a);
  });

  it('a holder that finds another holder in the lease stops at once', async () => {
    const store = new FakeLeaseStore();
    const a = candidate(store, 'a');
    await vi.advanceTimersByTimeAsync(100);
    store.lease = { ...store.lease!, spec: { ...store.lease!.spec, holderIdentity: 'intruder' } };
    await vi.advanceTimersByTimeAsync(TIMING.retryPeriodMs + 100);
    expect(a.stoppedAt).toHaveLength(1);
    await release(a);
  });

  it('release expires the lease so that a standby takes over at its next attempt', async () => {
    const store = new FakeLeaseStore();
    const a = candidate(store, 'a');
    await vi.advanceTimersByTimeAsync(100);
    const b = candidate(store, 'b');
    await vi.advanceTimersByTimeAsync(TIMING.retryPeriodMs);
    const releasedAt = Date.now();
    const released = a.elector.release();
    await vi.advanceTimersByTimeAsync(50);
    await released;
    expect(store.writes.some((w) => w.spec?.holderIdentity === '' && w.spec.leaseDurationSeconds === 1)).toBe(true);
    expect(a.stoppedAt).toEqual([]); // released, not lost
    await vi.advanceTimersByTimeAsync(TIMING.retryPeriodMs + 100);
    expect(b.startedAt).toHaveLength(1);
    expect(store.lease?.spec?.holderIdentity).toBe('b');
    expect(b.startedAt[0]! - releasedAt).toBeLessThanOrEqual(TIMING.retryPeriodMs + 100);
    await release(b);
  });

  it('a release that cannot reach the API server gives up within its bound', async () => {
    const store = new FakeLeaseStore();
    const a = candidate(store, 'a');
    await vi.advanceTimersByTimeAsync(100);
    a.connection.frozen = true;
    const started = Date.now();
    const released = a.elector.release(1_000).then(() => Date.now());
    await vi.advanceTimersByTimeAsync(1_100);
    expect((await released) - started).toBeLessThanOrEqual(1_000);
    expect(store.lease?.spec?.holderIdentity).toBe('a');
  });
});
