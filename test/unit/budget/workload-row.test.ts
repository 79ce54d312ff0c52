import { describe, expect, it } from 'vitest';
import { surgeReplicas } from '../../../src/budget/surge.ts';
import { workloadRow } from '../../../src/budget/workload-row.ts';

describe('surgeReplicas', () => {
  it.each([
    [{ kind: 'Deployment' as const }, 4, 1], // default 25 % of 4
    [{ kind: 'Deployment' as const }, 9, 3], // ceil(2.25)
    [{ kind: 'Deployment' as const, type: 'RollingUpdate', maxSurge: '50%' }, 5, 3],
    [{ kind: 'Deployment' as const, type: 'RollingUpdate', maxSurge: 2 }, 10, 2],
    [{ kind: 'Deployment' as const, type: 'RollingUpdate', maxSurge: '0%' }, 10, 0],
    [{ kind: 'Deployment' as const, type: 'Recreate', maxSurge: 5 }, 10, 0],
    [{ kind: 'StatefulSet' as const }, 10, 0],
    [{ kind: 'Deployment' as const }, 0, 0],
  ])('%o over %i replicas adds %i', (strategy, base, surge) => {
    expect(surgeReplicas(strategy, base)).toBe(surge);
  });
});

describe('workloadRow', () => {
  it('uses the declared replicas for planned and the live ones for current', () => {
    const row = workloadRow({ kind: 'Deployment', name: 'orders-api', poolSize: 20, declaredReplicas: 5, live: { replicas: 4, strategy: { kind: 'Deployment', type: 'Recreate' } } });
    expect(row.replicas).toEqual({ expected: 5, live: 4, peak: 5 });
    expect(row.connections).toEqual({ planned: 100, current: 80, peak: 100 });
    expect(row.missing).toBe(false);
  });

  it('takes the live replicas as expected when none are declared', () => {
    const row = workloadRow({ kind: 'StatefulSet', name: 'worker', poolSize: 10, live: { replicas: 3, strategy: { kind: 'StatefulSet' } } });
    expect(row.replicas.expected).toBe(3);
    expect(row.connections.planned).toBe(30);
  });

  it('peaks at the HPA maximum plus the rollout surge of it', () => {
    const row = workloadRow({
      kind: 'Deployment',
      name: 'query-api',
      poolSize: 20,
      live: { replicas: 4, strategy: { kind: 'Deployment', type: 'RollingUpdate', maxSurge: '25%' } },
      hpaMaxReplicas: 9,
    });
    expect(row.replicas.peak).toBe(12);
    expect(row.connections.peak).toBe(240);
  });

  it('counts a missing workload as 0 live replicas, still planning what is declared', () => {
    const row = workloadRow({ kind: 'Deployment', name: 'gone', poolSize: 20, declaredReplicas: 2 });
    expect(row.missing).toBe(true);
    expect(row.replicas).toEqual({ expected: 2, live: 0, peak: 2 });
    expect(row.connections).toEqual({ planned: 40, current: 0, peak: 40 });
  });
});
