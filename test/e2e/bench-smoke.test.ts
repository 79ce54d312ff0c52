// Each benchmark once at a small size, so that the scripts cannot rot: the one JSON line parses and
// names every figure, and the figures that are counts hold exactly. No timing is asserted: a
// benchmark is not a test. The four run at once (each starts its own parts): their waits overlap.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { operatorNodeOptions } from '../../bench/operator-process.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/** Runs a bench script with --json and returns its one line, parsed; stdout must hold nothing else. */
async function bench(script: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [join(root, 'bench', script), ...args, '--json'], { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 230_000 });
  const lines = stdout.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

function expectFiniteNumbers(figures: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    expect(typeof figures[name], name).toBe('number');
    expect(Number.isFinite(figures[name]), name).toBe(true);
  }
}

describe.concurrent('benchmarks at a small size', () => {
  it('bench:latency prints the round trip and the status latency side by side', async () => {
    const figures = await bench('status-latency.ts', ['--samples', '20', '--warm-up', '3']);
    expect(figures.bench).toBe('latency');
    expect(figures.samples).toBe(20);
    expectFiniteNumbers(figures, ['rttP50Ms', 'rttP99Ms', 'statusP50Ms', 'statusP99Ms', 'p50Ratio', 'p99Ratio']);
    expect(figures.nodeOptions).toBe(operatorNodeOptions().nodeOptions);
  });

  it('bench:scale writes each status once, nothing in the quiet period, and times the floor', async () => {
    // src/main.ts: the same operator as dist/main.js, without depending on a build having run first.
    const figures = await bench('scale.ts', ['--budgets', '50', '--workloads-per-budget', '2', '--instances', '2', '--namespaces', '2', '--quiet-seconds', '5', '--operator', 'src/main.ts']);
    expect(figures).toMatchObject({ bench: 'scale', budgets: 50, workloads: 100, instances: 2, objects: 52 });
    expectFiniteNumbers(figures, ['seconds', 'floorSeconds', 'ratio', 'statusWrites', 'floorWrites', 'quietWrites', 'peakRssMiB', 'heapUsedMiB']);
    expect(figures.statusWrites).toBe(52);
    expect(figures.floorWrites).toBe(52);
    expect(figures.quietWrites).toBe(0);
    expect(figures.nodeOptions).toBe(operatorNodeOptions().nodeOptions);
  });

  it('bench:neo4j sees one poll per instance per interval and at most two operator connections per instance', async () => {
    const figures = await bench('neo4j.ts', ['--instances', '2', '--budgets', '20', '--namespaces', '2', '--intervals', '2']);
    expect(figures).toMatchObject({ bench: 'neo4j', instances: 2, budgets: 20, intervals: 2, unreachablePolls: 0 });
    expectFiniteNumbers(figures, ['maxOperatorConnectionsPerInstance', 'maxOperatorConnections', 'connectionSamples']);
    expect(figures.pollsPerInstancePerInterval).toMatchObject({ min: 1, max: 1 });
    // Seen at all (the counting works), and within the bound.
    expect(figures.maxOperatorConnectionsPerInstance).toBeGreaterThanOrEqual(1);
    expect(figures.maxOperatorConnectionsPerInstance).toBeLessThanOrEqual(2);
    expect(figures.maxOperatorConnections).toBeLessThanOrEqual(2 * 2);
  });

  it('bench:planner times the planner and the sums and prints their growth next to n log n', async () => {
    const figures = await bench('planner.ts', ['--sizes', '1000,10000', '--calls', '3', '--warm-up', '1']);
    expect(figures).toMatchObject({ bench: 'planner', workloads: 10_000, fromWorkloads: 1000 });
    expectFiniteNumbers(figures, ['planScaleDownMs', 'planRestoreMs', 'instanceSumsMs', 'planScaleDownCpuMs', 'planRestoreCpuMs', 'instanceSumsCpuMs', 'planScaleDownShuffledMs', 'planRestoreShuffledMs', 'nLogNGrowth']);
    for (const growth of Object.values(figures.growth as Record<string, unknown>)) expect(Number.isFinite(growth)).toBe(true);
  });
});
