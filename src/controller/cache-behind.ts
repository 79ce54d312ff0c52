import type { ReadCache } from '../k8s/watched-cache.ts';
import type { WorkloadProbe, WorkloadRef } from '../k8s/workload-probe.ts';

/**
 * A reconcile found a cache behind the API server (an object the server has, not yet delivered by its
 * watch): it stops before writing or acting and is retried with backoff; the watch's delivery enqueues
 * it again at once. Not a failure: it is logged and counted apart from reconcile errors.
 */
export class CacheBehind extends Error {
  constructor(workload: WorkloadRef) {
    super(`the ${workload.kind} cache has not caught up with ${workload.namespace}/${workload.name}, which exists`);
    this.name = 'CacheBehind';
  }
}

/** What the memo reads of a cache: its change count per namespace (undefined when it cannot tell). */
type ChangeCounts = Pick<ReadCache<unknown>, 'changesIn'>;

/** Memo slots kept at most; past it the memo starts afresh (it only saves reads). */
const MAX_SLOTS = 1_000;

/**
 * Confirms absences from the caches with live reads, each workload at most once per state of its cache
 * in its namespace: the reconciles of every budget of an instance that follow one deletion ask about the
 * same workload, and one read answers them all until that cache changes again.
 */
export class AbsenceChecks {
  private readonly probe: WorkloadProbe;
  private readonly caches: { deployments: ChangeCounts; statefulSets: ChangeCounts };
  /** By kind and namespace: the cache's change count when the names were confirmed absent. */
  private readonly confirmed = new Map<string, { stamp: number; names: Set<string> }>();

  constructor(probe: WorkloadProbe, caches: { deployments: ChangeCounts; statefulSets: ChangeCounts }) {
    this.probe = probe;
    this.caches = caches;
  }

  /** Throws CacheBehind for the first workload that exists after all. */
  async confirm(workloads: readonly WorkloadRef[]): Promise<void> {
    for (const workload of workloads) {
      const cache = workload.kind === 'Deployment' ? this.caches.deployments : this.caches.statefulSets;
      const stamp = cache.changesIn?.(workload.namespace);
      const slot = `${workload.kind}/${workload.namespace}`;
      const known = this.confirmed.get(slot);
      if (stamp !== undefined && known?.stamp === stamp && known.names.has(workload.name)) continue;
      if (await this.probe(workload)) throw new CacheBehind(workload);
      if (stamp === undefined) continue;
      // The stamp read before the read: a change that arrived meanwhile makes this entry stale, not wrong.
      let entry = this.confirmed.get(slot);
      if (entry?.stamp !== stamp) {
        if (this.confirmed.size >= MAX_SLOTS) this.confirmed.clear();
        this.confirmed.set(slot, (entry = { stamp, names: new Set() }));
      }
      entry.names.add(workload.name);
    }
  }
}
