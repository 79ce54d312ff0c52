import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, fixturesDir, planJson } from './plan-cli.ts';

describe('plan: levels, exit codes and the Scale plan', () => {
  it('an eleventh service beside the seed: 220 + 44 = 264 of 300 = 88 %, Warning, exit 1', async () => {
    const { code, document } = await planJson(['-f', join(examplesDir, 'seed-ten-services.yaml'), '-f', join(fixturesDir, 'eleventh-service.yaml')]);
    expect(code).toBe(1);
    expect(document.instances).toEqual([
      // peak 11 x 20 x 2 = 440 -> ceil(146.7) = 147 %
      { name: 'seed-graph', status: { level: 'Warning', budgets: 2, planned: { connections: 220, buffer: 44, percent: 88 }, current: { connections: 220, buffer: 44, percent: 88 }, peak: { connections: 440, percent: 147 } } },
    ]);
    const extra = document.budgets.find((b) => b.name === 'recommendations');
    // The others already hold 200, the whole warning line (200 + 40 = 240 = 80 %): no room for a replica, ceiling 0.
    expect(extra?.status).toEqual({
      level: 'Warning',
      planned: { connections: 20 },
      current: { connections: 20 },
      peak: { connections: 40 },
      sharePercent: 7,
      workloads: [{ kind: 'Deployment', name: 'recommendations-api', poolSize: 20, replicas: { expected: 1, live: 1, peak: 2 }, connections: { planned: 20, current: 20, peak: 40 }, state: 'Ok', ceilingReplicas: 0 }],
      // Every workload is at its floor of 1: even Scale would have nothing to lower.
      plan: [],
    });
    const seed = document.budgets.find((b) => b.name === 'shop-services');
    expect(seed?.status.level).toBe('Warning');
    expect((seed?.status.workloads as { ceilingReplicas: number }[]).map((w) => w.ceilingReplicas)).toEqual(Array(10).fill(0));
  });

  it('a Scale budget at 96 %: Critical, exit 2, and the plan lowers the lowest priority first (api 6 -> 4)', async () => {
    const { code, document } = await planJson(['-f', join(fixturesDir, 'scale-over.yaml')]);
    expect(code).toBe(2);
    expect(document).toEqual({
      instances: [
        // 60 + 20 = 80, + 16 = 96 % of 100 (critical over 95); Recreate and a StatefulSet: no surge, peak 80.
        { name: 'tight-graph', status: { level: 'Critical', budgets: 1, planned: { connections: 80, buffer: 16, percent: 96 }, current: { connections: 80, buffer: 16, percent: 96 }, peak: { connections: 80, percent: 80 } } },
      ],
      budgets: [
        {
          namespace: 'ops',
          name: 'ops',
          status: {
            level: 'Critical',
            planned: { connections: 80 },
            current: { connections: 80 },
            peak: { connections: 80 },
            sharePercent: 80,
            workloads: [
              // warning line: x + ceil(x/5) <= 80 -> x <= 66. api: others 20, 20 + 10 r <= 66 -> 4; worker: others 60 -> 0.
              { kind: 'Deployment', name: 'api', poolSize: 10, replicas: { expected: 6, live: 6, peak: 6 }, connections: { planned: 60, current: 60, peak: 60 }, state: 'Ok', ceilingReplicas: 4 },
              { kind: 'StatefulSet', name: 'worker', poolSize: 10, replicas: { expected: 2, live: 2, peak: 2 }, connections: { planned: 20, current: 20, peak: 20 }, state: 'Ok', ceilingReplicas: 0 },
            ],
            // api (priority 0) goes first: 80 - 10 = 70 is still over 66, 80 - 20 = 60 is not.
            plan: [{ kind: 'Deployment', name: 'api', from: 6, to: 4, reason: 'current 80 of 100 (96 % with buffer) over the warning line 80 %: lowest priority first' }],
          },
        },
      ],
    });
  });

  it('rendered workloads without replicas: the HPA minReplicas (v2 and v1 alike), else 1', async () => {
    const { code, document } = await planJson(['-f', join(fixturesDir, 'hpa-without-replicas.yaml')]);
    expect(code).toBe(0);
    // front: HPA min 3, max 5, surge ceil(25 % of 5) = 2 -> peak 7; back: no HPA -> 1, surge 1 -> 2;
    // cache: StatefulSet, autoscaling/v1 HPA min 2, max 4 -> peak 4. Planned 60 + 12 = 72 of 1000 -> 8 %, peak 130 -> 13 %.
    expect(document.instances[0]?.status).toEqual({ level: 'Healthy', budgets: 1, planned: { connections: 60, buffer: 12, percent: 8 }, current: { connections: 60, buffer: 12, percent: 8 }, peak: { connections: 130, percent: 13 } });
    const rows = document.budgets[0]?.status.workloads as { name: string; replicas: unknown; connections: unknown; ceilingReplicas: number }[];
    // warning line x + ceil(x/5) <= 800 -> x <= 666: front (others 30) 63, back (others 50) 61, cache (others 40) 62.
    expect(rows.map((r) => [r.name, r.replicas, r.connections, r.ceilingReplicas])).toEqual([
      ['front', { expected: 3, live: 3, peak: 7 }, { planned: 30, current: 30, peak: 70 }, 63],
      ['back', { expected: 1, live: 1, peak: 2 }, { planned: 10, current: 10, peak: 20 }, 61],
      ['cache', { expected: 2, live: 2, peak: 4 }, { planned: 20, current: 20, peak: 40 }, 62],
    ]);
  });
});
