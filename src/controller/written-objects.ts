import { atLeast } from './written-statuses.ts';

/** What a write returned about a workload or HPA: its new resourceVersion and the fields the operator acts on. */
export interface WrittenObject {
  resourceVersion: string;
  replicas?: number;
  maxReplicas?: number;
  annotations?: Record<string, string>;
}

/**
 * The workloads and HPAs this process changed that its caches may not show yet. Until the watch delivers
 * the written version, enforcement reads what was written: a stale cache must never turn a second step
 * into a raise, nor repeat an event.
 */
export class WrittenObjects {
  private readonly entries = new Map<string, WrittenObject>();

  remember(key: string, written: WrittenObject): void {
    const previous = this.entries.get(key);
    this.entries.set(key, { ...previous, ...written });
  }

  /** The written fields while the cache is behind them; undefined once it has caught up. */
  pending(key: string, cachedResourceVersion: string | undefined): WrittenObject | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (atLeast(cachedResourceVersion, entry.resourceVersion)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

export const writtenKey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;
