import { describe, expect, it } from 'vitest';
import { gate, queueOf, sleep, until } from './work-queue-helpers.ts';

describe('WorkQueue', () => {
  it('runs a key added many times while it waits only once', async () => {
    const blocker = gate();
    const calls: string[] = [];
    const queue = queueOf(async (key) => {
      calls.push(key);
      if (key === 'blocker') await blocker.promise;
    }, { concurrency: 1 });
    queue.add('blocker');
    for (let i = 0; i < 5; i++) queue.add('ns/a');
    expect(queue.depth()).toBe(1);
    blocker.open();
    await queue.idle();
    expect(calls).toEqual(['blocker', 'ns/a']);
  });

  it('never runs one key twice at once; a key added while in flight runs once more afterwards', async () => {
    const first = gate();
    const calls: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const queue = queueOf(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls.push(calls.length);
      if (calls.length === 1) await first.promise;
      inFlight -= 1;
    });
    queue.add('ns/a');
    await until(() => calls.length === 1);
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/a');
    await sleep(10);
    expect(calls).toHaveLength(1);
    first.open();
    await queue.idle();
    expect(calls).toHaveLength(2);
    expect(maxInFlight).toBe(1);
  });

  it('runs at most `concurrency` keys at once', async () => {
    const release = gate();
    let inFlight = 0;
    let maxInFlight = 0;
    const done: string[] = [];
    const queue = queueOf(async (key) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await release.promise;
      inFlight -= 1;
      done.push(key);
    }, { concurrency: 2 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(key);
    await sleep(10);
    expect(inFlight).toBe(2);
    release.open();
    await queue.idle();
    expect(maxInFlight).toBe(2);
    expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('retries a failing key with a doubling backoff capped at maxDelayMs, and resets it after a success', async () => {
    let failuresLeft = 5;
    const retries: number[] = [];
    const errors: unknown[] = [];
    const queue = queueOf(
      () => (failuresLeft-- > 0 ? Promise.reject(new Error('transient')) : Promise.resolve()),
      { baseDelayMs: 5, maxDelayMs: 20 },
      (key, error, retryInMs) => {
        expect(key).toBe('ns/a');
        errors.push(error);
        retries.push(retryInMs);
      },
    );
    queue.add('ns/a');
    await queue.idle();
    expect(retries).toEqual([5, 10, 20, 20, 20]);
    expect(errors.every((e) => e instanceof Error && e.message === 'transient')).toBe(true);

    failuresLeft = 1;
    queue.add('ns/a');
    await queue.idle();
    expect(retries.slice(5)).toEqual([5]);
  });

  it('holds keys beyond the burst until the token bucket refills', async () => {
    let clock = 1_000_000;
    const calls: string[] = [];
    const queue = queueOf(async (key) => {
      calls.push(key);
      await Promise.resolve();
    }, { concurrency: 10, perSecond: 100, burst: 2, now: () => clock });
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(key);
    await until(() => calls.length === 2);
    // The clock stands still, so no token comes back however long the refill timer spins.
    await sleep(50);
    expect(calls).toEqual(['a', 'b']);
    expect(queue.depth()).toBe(3);

    clock += 1_000; // a whole second refills the bucket up to its burst of 2, no more
    await until(() => calls.length === 4);
    await sleep(30);
    expect(calls).toEqual(['a', 'b', 'c', 'd']);

    clock += 1_000;
    await queue.idle();
    expect(calls).toEqual(['a', 'b', 'c', 'd', 'e']);
    await queue.shutdown();
  });
});
