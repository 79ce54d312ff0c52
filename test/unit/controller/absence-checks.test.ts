import { describe, expect, it } from 'vitest';
import { AbsenceChecks, CacheBehind } from '../../../src/controller/cache-behind.ts';
import type { ReadCache } from '../../../src/k8s/watched-cache.ts';
import type { WorkloadRef } from '../../../src/k8s/workload-probe.ts';

/** A cache's change counts per namespace, moved as the test says. */
class ChangeCounts implements Pick<ReadCache<unknown>, 'changesIn'> {
  readonly counts = new Map<string, number>();
  changesIn(namespace: string): number {
    return this.counts.get(namespace) ?? 0;
  }
  change(namespace: string): void {
    this.counts.set(namespace, this.changesIn(namespace) + 1);
  }
}

const api: WorkloadRef = { kind: 'Deployment', namespace: 'shop', name: 'api' };
const db: WorkloadRef = { kind: 'StatefulSet', namespace: 'shop', name: 'db' };

function setup(existing: readonly WorkloadRef[] = []): { checks: AbsenceChecks; reads: WorkloadRef[]; deployments: ChangeCounts; statefulSets: ChangeCounts } {
  const reads: WorkloadRef[] = [];
  const deployments = new ChangeCounts();
  const statefulSets = new ChangeCounts();
  const probe = async (workload: WorkloadRef): Promise<boolean> => {
    reads.push(workload);
    return Promise.resolve(existing.some((w) => w.kind === workload.kind && w.namespace === workload.namespace && w.name === workload.name));
  };
  return { checks: new AbsenceChecks(probe, { deployments, statefulSets }), reads, deployments, statefulSets };
}

describe('AbsenceChecks: a live read per absence, once per state of the cache', () => {
  it('throws CacheBehind, naming the workload, when the API server has it', async () => {
    const { checks } = setup([api]);
    await expect(checks.confirm([db, api])).rejects.toThrow(new CacheBehind(api));
    await expect(checks.confirm([api])).rejects.toBeInstanceOf(CacheBehind);
  });

  it('reads a confirmed absence again only after its cache changed in that namespace', async () => {
    const { checks, reads, deployments } = setup();
    await checks.confirm([api, db]);
    await checks.confirm([api, db]);
    expect(reads).toEqual([api, db]);
    deployments.change('elsewhere');
    await checks.confirm([api]);
    expect(reads).toEqual([api, db]);
    deployments.change('shop');
    await checks.confirm([api, db]);
    expect(reads).toEqual([api, db, api]);
  });

  it('never remembers a workload that was found', async () => {
    const existing: WorkloadRef[] = [api];
    const { checks, reads } = setup(existing);
    await expect(checks.confirm([api])).rejects.toBeInstanceOf(CacheBehind);
    existing.length = 0;
    await checks.confirm([api]);
    await checks.confirm([api]);
    expect(reads).toEqual([api, api]);
  });

  it('reads every time for a cache that cannot tell its changes', async () => {
    const reads: WorkloadRef[] = [];
    const blind: Pick<ReadCache<unknown>, 'changesIn'> = {};
    const checks = new AbsenceChecks(async (workload) => Promise.resolve(reads.push(workload) < 0), { deployments: blind, statefulSets: blind });
    await checks.confirm([api]);
    await checks.confirm([api]);
    expect(reads).toEqual([api, api]);
  });
});
