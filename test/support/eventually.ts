import { setTimeout as sleep } from 'node:timers/promises';

/** Retries an assertion until it passes or the time runs out; the last failure is what is reported. */
export async function eventually<T>(assertion: () => Promise<T> | T, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
