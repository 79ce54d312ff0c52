import type { ReadCache } from '../../k8s/watched-cache.ts';
import type { WrittenObject } from '../../k8s/workload-write.ts';
import { atLeast } from '../written-statuses.ts';

type Versioned = { metadata?: { resourceVersion?: string } };

/** The caches a sweep checks the remembered objects against. */
export interface WrittenObjectCaches {
  deployments: ReadCache<Versioned>;
  statefulSets: ReadCache<Versioned>;
  autoscalers: ReadCache<Versioned>;
}

export type { WrittenObject };

/**
 * The workloads and HPAs this process changed that its caches may not show yet. Until the watch delivers
 * the written version, enforcement reads what was written: a stale cache must never turn a second step
 * into a raise, nor repeat an event.
 */
export class WrittenObjects {
  private readonly entries = new Map<string, WrittenObject>();
  private changes = 0;

  /** Changes whenever an entry is added, changed or dropped: what was read through the overlay holds while it is the same. */
  get version(): number {
    return this.changes;
  }

  remember(key: string, written: WrittenObject): void {
    const previous = this.entries.get(key);
    this.entries.set(key, { ...previous, ...written });
    this.changes += 1;
  }

  /** The written fields while the cache is behind them; undefined once it has caught up. */
  pending(key: string, cachedResourceVersion: string | undefined): WrittenObject | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (atLeast(cachedResourceVersion, entry.resourceVersion)) {
      this.entries.delete(key);
      this.changes += 1;
      return undefined;
    }
    return entry;
  }

  /**
   * Drops the entries no read will ask for again: objects deleted since (a deleted workload is never
   * looked up, so its entry would stay for the life of the process) and objects the caches caught up with.
   */
  sweep(caches: WrittenObjectCaches): void {
    for (const [key, entry] of this.entries) {
      const [kind = '', namespace = '', name = ''] = key.split('/');
      const cache = kind === 'Deployment' ? caches.deployments : kind === 'StatefulSet' ? caches.statefulSets : caches.autoscalers;
      const cached = cache.get(name, namespace);
      if (!cached || atLeast(cached.metadata?.resourceVersion, entry.resourceVersion)) {
        this.entries.delete(key);
        this.changes += 1;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

export const writtenKey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;
