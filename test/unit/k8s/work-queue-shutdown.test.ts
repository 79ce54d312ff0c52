import { describe, expect, it } from 'vitest';
import { gate, queueOf, sleep, until } from './work-queue-helpers.ts';

describe('WorkQueue idle() and shutdown()', () => {
  it('idle() resolves at once when empty and otherwise only once all work is done', async () => {
    const release = gate();
    const queue = queueOf(() => release.promise);
    await queue.idle();
    queue.add('a');
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    await sleep(10);
    expect(idle).toBe(false);
    release.open();
    await waiting;
    expect(idle).toBe(true);
    expect(queue.depth()).toBe(0);
  });

  it('shutdown() waits for the work in flight and drops what waits', async () => {
    const release = gate();
    const calls: string[] = [];
    let finished = 0;
    const queue = queueOf(async (key) => {
      calls.push(key);
      await release.promise;
      finished += 1;
    }, { concurrency: 1 });
    queue.add('a');
    queue.add('b');
    queue.add('c');
    let stopped = false;
    const stopping = queue.shutdown().then(() => (stopped = true));
    queue.add('a'); // in flight: would run again, but the queue is shutting down
    queue.add('d');
    await sleep(20);
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(finished).toBe(1);
    expect(queue.depth()).toBe(0);
    await sleep(20);
    expect(calls).toEqual(['a']);
  });

  it('shutdown() drops a retry that waits on its backoff', async () => {
    let calls = 0;
    const retries: number[] = [];
    const queue = queueOf(
      () => {
        calls += 1;
        return Promise.reject(new Error('down'));
      },
      { baseDelayMs: 30, maxDelayMs: 30 },
      (_key, _error, retryInMs) => {
        retries.push(retryInMs);
      },
    );
    queue.add('a');
    await until(() => retries.length === 1);
    await queue.shutdown();
    await sleep(60);
    expect(calls).toBe(1);
  });

  it('shutdown() does not schedule a retry for a key that fails while it waits', async () => {
    const release = gate();
    let calls = 0;
    const retries: number[] = [];
    const queue = queueOf(
      async () => {
        calls += 1;
        await release.promise;
        throw new Error('interrupted');
      },
      { baseDelayMs: 10, maxDelayMs: 10 },
      (_key, _error, retryInMs) => {
        retries.push(retryInMs);
      },
    );
    queue.add('a');
    const stopping = queue.shutdown();
    release.open();
    await stopping;
    expect(retries).toHaveLength(1);
    expect(queue.depth()).toBe(0);
    await sleep(30);
    expect(calls).toBe(1);
  });
});
