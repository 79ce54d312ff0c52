import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existing, withCacheLock } from './cache-lock.ts';
import { withHeartbeat, type ProgressLog } from './log.ts';
import { runCommand } from './run-command.ts';

/** Static binaries; `-mod=mod` lets the generated module record its own go.sum. */
export const goEnv = (): NodeJS.ProcessEnv => ({ ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false' });

/**
 * Returns `dir/name`, running `build` first when it is missing. One process builds at a time (test runs call
 * this too); a failed build leaves no `.partial` behind.
 */
export async function ensureBinary(name: string, dir: string, build: (dir: string, log: ProgressLog) => Promise<void>, log: ProgressLog): Promise<string> {
  const binary = join(dir, name);
  if (existing(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  return withCacheLock(
    join(dir, `${name}.lock`),
    () => existing(binary),
    async () => {
      try {
        await build(dir, log);
      } catch (error) {
        rmSync(join(dir, `${name}.partial`), { force: true });
        throw error;
      }
      return binary;
    },
    log,
  );
}

export interface GoCommandBuild {
  /** The binary's file name inside the cache folder. */
  name: string;
  /** The generated wrapper module's go.mod (it requires the module that holds the command). */
  goMod: string;
  /** The command's package path. */
  main: string;
  ldflags: string;
  /** What the heartbeat calls the build. */
  what: string;
}

/**
 * Builds a command from the Go module proxy as a package of a generated wrapper module in `dir/src`, so the
 * wrapper's go.mod can carry the replace lines the command's own module would need (`go install pkg@v` ignores
 * them and refuses such modules). Writes `name.partial` and renames it, so a half-built binary is never used.
 */
export async function buildGoCommand(dir: string, build: GoCommandBuild, log: ProgressLog): Promise<void> {
  const source = join(dir, 'src');
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'go.mod'), build.goMod);
  const output = join(dir, `${build.name}.partial`);
  await withHeartbeat(
    log,
    build.what,
    runCommand('go', ['build', '-trimpath', '-ldflags', build.ldflags, '-o', output, build.main], { cwd: source, env: goEnv() }),
  );
  renameSync(output, join(dir, build.name));
}
