import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProgressLog } from './log.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A lock whose holder died, or one without a pid long after it was made (its maker died right after mkdir). */
function abandoned(lock: string, pid: number | undefined): boolean {
  if (pid !== undefined) return !alive(pid);
  try {
    return Date.now() - statSync(lock).mtimeMs > 10_000;
  } catch {
    return false; // released meanwhile: the next round takes it
  }
}

/**
 * Runs `work` while holding `lock` (a directory: mkdir is atomic), so that parallel `npm run parts` and test
 * runs on one machine build a part once instead of racing on the same files. A waiter re-checks `done()` when
 * the lock is released and skips the work when the holder produced the result; a lock left by a dead process
 * is taken over.
 */
export async function withCacheLock<T>(lock: string, done: () => T | undefined, work: () => Promise<T>, log: ProgressLog): Promise<T> {
  let announced = false;
  for (;;) {
    const ready = done();
    if (ready !== undefined) return ready;
    try {
      mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = holder(lock);
      if (abandoned(lock, pid)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`waiting for another process (pid ${pid ?? '?'}) that is preparing ${lock.replace(/\.lock$/, '')}`);
      announced = true;
      await sleep(2000);
      continue;
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      const again = done();
      return again !== undefined ? again : await work();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

export const existing = (path: string): string | undefined => (existsSync(path) ? path : undefined);
