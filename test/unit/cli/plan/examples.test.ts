import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, planJson, runCli, type PlanOutput } from './plan-cli.ts';

type Triple = [number, number, number];

/** One workload row as the operator writes it: replicas and connections as [expected|planned, live|current, peak]. */
function workload(kind: string, name: string, poolSize: number, replicas: Triple, connections: Triple, ceilingReplicas: number): Record<string, unknown> {
  return {
    kind,
    name,
    poolSize,
    replicas: { expected: replicas[0], live: replicas[1], peak: replicas[2] },
    connections: { planned: connections[0], current: connections[1], peak: connections[2] },
    state: 'Ok',
    ceilingReplicas,
  };
}

function budget(namespace: string, name: string, totals: Triple, sharePercent: number, workloads: Record<string, unknown>[]): PlanOutput['budgets'][number] {
  return {
    namespace,
    name,
    status: { level: 'Healthy', planned: { connections: totals[0] }, current: { connections: totals[1] }, peak: { connections: totals[2] }, sharePercent, workloads, plan: [] },
  };
}

// Every figure by hand from DESIGN section 2 (buffer(x) = ceil(x * buffer / 100), percents rounded up,
// default surge 25 % of max(e, r, h) rounded up, ceiling = most replicas keeping current + buffer at or under warning).
const EXPECTED: Record<string, { code: number; document: PlanOutput }> = {
  'hpa-autoscaled.yaml': {
    // query-api: p 20, live 4 (expected = live), HPA max 9, surge ceil(25 % of 9) = 3 -> peak 12 replicas = 240.
    // planned = current = 80 + 16 = 96 of 200 -> 48 %; peak 240 -> 120 %. Ceiling: 20 r + ceil(4 r) <= 160 -> r = 6.
    code: 0,
    document: {
      instances: [
        {
          name: 'search-graph',
          status: { level: 'Healthy', budgets: 1, planned: { connections: 80, buffer: 16, percent: 48 }, current: { connections: 80, buffer: 16, percent: 48 }, peak: { connections: 240, percent: 120 } },
        },
      ],
      budgets: [budget('search', 'search', [80, 80, 240], 40, [workload('Deployment', 'query-api', 20, [4, 4, 12], [80, 80, 240], 6)])],
    },
  },
  'local-demo.yaml': {
    // Four budgets on a limit of 80: 5 + 20 + 5 + 4 = 34, buffer ceil(6.8) = 7 -> 41 -> ceil(51.25) = 52 %;
    // one replica each, surge ceil(0.25) = 1 -> peak 2 x pool -> 68 -> 85 %. Warning line: x + ceil(x/5) <= 64 -> x <= 53.
    code: 0,
    document: {
      instances: [
        {
          name: 'local-graph',
          status: { level: 'Healthy', budgets: 4, planned: { connections: 34, buffer: 7, percent: 52 }, current: { connections: 34, buffer: 7, percent: 52 }, peak: { connections: 68, percent: 85 } },
        },
      ],
      budgets: [
        // catalog: others 29, 29 + 5 r <= 53 -> 4; share ceil(500 / 80) = 7
        budget('demo', 'catalog', [5, 5, 10], 7, [workload('Deployment', 'catalog-api', 5, [1, 1, 2], [5, 5, 10], 4)]),
        // orders: others 14, 14 + 20 r <= 53 -> 1; share 25
        budget('demo', 'orders', [20, 20, 40], 25, [workload('Deployment', 'orders-api', 20, [1, 1, 2], [20, 20, 40], 1)]),
        // reports: others 30, 30 + 4 r <= 53 -> 5; share 5
        budget('demo', 'reports', [4, 4, 8], 5, [workload('Deployment', 'reports-api', 4, [1, 1, 2], [4, 4, 8], 5)]),
        // search: as catalog
        budget('demo', 'search', [5, 5, 10], 7, [workload('Deployment', 'search-api', 5, [1, 1, 2], [5, 5, 10], 4)]),
      ],
    },
  },
  'multi-namespace.yaml': {
    // payments 150 + 40 = 190, catalog 100: 290 + 58 = 348 of 500 -> ceil(69.6) = 70 % (warning over 75 %).
    // peak: ledger-api 3 + ceil(0.75) = 4 -> 200, settlement (StatefulSet, no surge) 40, product-api 4 + 1 = 5 -> 125: 365 -> 73 %.
    // Warning line: x + ceil(x/5) <= 375 -> x <= 312.
    code: 0,
    document: {
      instances: [
        {
          name: 'shared-graph',
          status: { level: 'Healthy', budgets: 2, planned: { connections: 290, buffer: 58, percent: 70 }, current: { connections: 290, buffer: 58, percent: 70 }, peak: { connections: 365, percent: 73 } },
        },
      ],
      budgets: [
        // product-api: others 190, 190 + 25 r <= 312 -> 4; share 20
        budget('catalog', 'catalog', [100, 100, 125], 20, [workload('Deployment', 'product-api', 25, [4, 4, 5], [100, 100, 125], 4)]),
        // ledger-api: others 140, 140 + 50 r <= 312 -> 3; settlement-worker: others 250, 250 + 20 r <= 312 -> 3; share ceil(38) = 38
        budget('payments', 'payments', [190, 190, 240], 38, [
          workload('Deployment', 'ledger-api', 50, [3, 3, 4], [150, 150, 200], 3),
          workload('StatefulSet', 'settlement-worker', 20, [2, 2, 2], [40, 40, 40], 3),
        ]),
      ],
    },
  },
  'seed-ten-services.yaml': {
    // The seed: 10 x 20 = 200 + 40 = 240 of 300 -> 80 %, on the line: Healthy. Peak 10 x 20 x (1 + 1) = 400 -> ceil(133.3) = 134 %.
    // Ceiling: others 180, 180 + 20 r <= 200 (200 + 40 = 240 = 80 %) -> 1; share ceil(66.7) = 67.
    code: 0,
    document: {
      instances: [
        {
          name: 'seed-graph',
          status: { level: 'Healthy', budgets: 1, planned: { connections: 200, buffer: 40, percent: 80 }, current: { connections: 200, buffer: 40, percent: 80 }, peak: { connections: 400, percent: 134 } },
        },
      ],
      budgets: [
        budget(
          'shop',
          'shop-services',
          [200, 200, 400],
          67,
          ['orders', 'cart', 'catalog', 'checkout', 'payments', 'search', 'reviews', 'inventory', 'shipping', 'accounts'].map((service) =>
            workload('Deployment', `${service}-api`, 20, [1, 1, 2], [20, 20, 40], 1),
          ),
        ),
      ],
    },
  },
};

describe('plan over every file in examples/', () => {
  it('has exact expected figures for every example file', () => {
    expect(readdirSync(examplesDir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: every figure the operator writes, and exit code ${expected.code}`, async () => {
      const { code, document, stderr } = await planJson(['-f', join(examplesDir, file)]);
      expect(stderr).toBe('');
      expect(document).toEqual(expected.document);
      expect(code).toBe(expected.code);
    });
  }

  it('the whole examples/ directory at once: each instance keeps its own figures, exit 0', async () => {
    const { code, document } = await planJson(['-f', examplesDir]);
    expect(code).toBe(0);
    expect(document.instances).toEqual(Object.values(EXPECTED).flatMap((e) => e.document.instances).sort((a, b) => a.name.localeCompare(b.name)));
    expect(document.budgets).toEqual(Object.values(EXPECTED).flatMap((e) => e.document.budgets).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)));
  });

  it('the table shows each instance with its views and a bar per workload', async () => {
    const { code, stdout } = await runCli(['plan', '-f', join(examplesDir, 'hpa-autoscaled.yaml')]);
    expect(code).toBe(0);
    expect(stdout).toContain('Neo4jInstance search-graph  Healthy  limit 200, buffer 20 %, warning over 80 %, critical over 95 %, 1 budget');
    expect(stdout).toMatch(/planned {2}80 \+ 16 buffer = 96 {3}48 % {2}\[##########\.{10}\]/);
    expect(stdout).toMatch(/peak {5}240 {18}120 % {2}\[#{20}\]\+/);
    expect(stdout).toContain('PeakExceedsLimit');
    // query-api: 4/4/12 replicas, 80/80/240 connections, ceiling 6, 40 % of the limit.
    expect(stdout).toMatch(/Deployment\/query-api +20 +4\/4\/12 +80 +80 +240 +6 +Ok +40 % +\[####\.{6}\]/);
    expect(stdout).toContain('verdict: Healthy (exit 0)');
  });
});
