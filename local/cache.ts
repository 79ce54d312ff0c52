import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where built and fetched parts live, outside the repository, so reruns and fresh clones reuse them. */
export function cacheRoot(): string {
  const explicit = process.env.BOLTBUDGET_CACHE;
  if (explicit) return explicit;
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'boltbudget');
}
