import { WorkQueue, type KeyHandler, type WorkQueueOptions } from '../../../src/k8s/work-queue.ts';

/** Helpers for the WorkQueue tests: gates the test opens, and polling that fails rather than hangs. */

/** No rate limit to speak of: a bucket that never runs dry in these tests. */
export const unlimited: WorkQueueOptions = { concurrency: 4, baseDelayMs: 5, maxDelayMs: 20, perSecond: 1_000_000, burst: 1_000_000 };

export interface Gate {
  promise: Promise<void>;
  open: () => void;
}

export function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; fails the test (not hangs) when it never does. */
export async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(1);
  }
}

export type OnError = (key: string, error: unknown, retryInMs: number) => void;

export function queueOf(handler: KeyHandler, options: Partial<WorkQueueOptions> = {}, onError: OnError = () => undefined): WorkQueue {
  return new WorkQueue(handler, { ...unlimited, ...options }, onError);
}
