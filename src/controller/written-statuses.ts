/** resourceVersions are opaque, but etcd's are increasing integers; compare them as such when they are. */
export function atLeast(candidate: string | undefined, reference: string): boolean {
  if (candidate === undefined) return false;
  if (/^\d+$/.test(candidate) && /^\d+$/.test(reference)) return BigInt(candidate) >= BigInt(reference);
  return candidate === reference;
}

/**
 * The statuses this process wrote that its cache may not show yet. Until the watch delivers the written
 * version, a reconcile compares against what was written, so it neither writes the same status twice
 * nor records the same transition twice.
 */
export class WrittenStatuses<Status> {
  private readonly entries = new Map<string, { resourceVersion: string; status: Status }>();

  remember(key: string, resourceVersion: string, status: Status): void {
    this.entries.set(key, { resourceVersion, status });
  }

  /** The status to compare against: the cached one once the cache has caught up, else the written one. */
  previous(key: string, cachedResourceVersion: string | undefined, cachedStatus: Status | undefined): Status | undefined {
    const entry = this.entries.get(key);
    if (!entry) return cachedStatus;
    if (atLeast(cachedResourceVersion, entry.resourceVersion)) {
      this.entries.delete(key);
      return cachedStatus;
    }
    return entry.status;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
