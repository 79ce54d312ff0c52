import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withHeartbeat, type ProgressLog } from './log.ts';
import { runCommand } from './run-command.ts';

let listsRefreshed: Promise<unknown> | undefined;

/** `apt-get download` into `dir`, refreshing the package lists once (slow; needs root) if apt does not know the package. */
async function downloadDeb(pkg: string, dir: string): Promise<string> {
  try {
    await runCommand('apt-get', ['download', pkg], { cwd: dir });
  } catch (error) {
    if (!/unable to locate|no installation candidate/i.test(String(error))) throw error;
    listsRefreshed ??= runCommand('apt-get', ['update']);
    await listsRefreshed;
    await runCommand('apt-get', ['download', pkg], { cwd: dir });
  }
  const deb = readdirSync(dir).find((name) => name.startsWith(`${pkg}_`) && name.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${dir}`);
  return join(dir, deb);
}

/**
 * Takes one file out of a Debian package without installing it (no root, no dpkg database) into
 * `<root>/<folderPrefix><package version>/<name>`, built in a temporary folder and renamed as a whole.
 * Returns the binary's path.
 */
export async function fetchFromDeb(root: string, folderPrefix: string, pkg: string, file: string, log: ProgressLog): Promise<string> {
  const name = file.split('/').at(-1) as string;
  const partial = mkdtempSync(join(root, `${folderPrefix}partial-`));
  try {
    return await withHeartbeat(
      log,
      `fetching ${name} from Debian's ${pkg} package`,
      (async () => {
        const deb = await downloadDeb(pkg, partial);
        const version = (await runCommand('dpkg-deb', ['-f', deb, 'Version'])).trim();
        await runCommand('dpkg-deb', ['-x', deb, join(partial, 'root')]);
        renameSync(join(partial, 'root', file), join(partial, name));
        rmSync(join(partial, 'root'), { recursive: true, force: true });
        rmSync(deb, { force: true });
        const dir = join(root, `${folderPrefix}${version.replaceAll(':', '_')}`);
        // A concurrent run may have won the race: keep its folder.
        if (!existsSync(join(dir, name))) renameSync(partial, dir);
        return join(dir, name);
      })(),
    );
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}
