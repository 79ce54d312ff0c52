import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, fixturesDir, planJson, runCli } from './plan-cli.ts';

const teamBudget = join(fixturesDir, 'team-budget.yaml');

describe('plan --instance NAME --limit N: an instance that is not in the files', () => {
  it('plans against a synthetic instance with that limit and the default thresholds', async () => {
    const { code, document } = await planJson(['-f', teamBudget, '--instance', 'team-graph', '--limit', '150']);
    expect(code).toBe(0);
    expect(document).toEqual({
      // 2 x 50 = 100 + 20 % = 120 of 150 = 80 %: on the default 80 % line, Healthy; peak 3 x 50 = 150 = 100 %.
      instances: [{ name: 'team-graph', status: { level: 'Healthy', budgets: 1, planned: { connections: 100, buffer: 20, percent: 80 }, current: { connections: 100, buffer: 20, percent: 80 }, peak: { connections: 150, percent: 100 } } }],
      budgets: [
        {
          namespace: 'team',
          name: 'reports',
          status: {
            level: 'Healthy',
            planned: { connections: 100 },
            current: { connections: 100 },
            peak: { connections: 150 },
            sharePercent: 67,
            // warning line x + ceil(x/5) <= 120 -> x <= 100 -> 2 replicas of 50
            workloads: [{ kind: 'Deployment', name: 'reports-api', poolSize: 50, replicas: { expected: 2, live: 2, peak: 3 }, connections: { planned: 100, current: 100, peak: 150 }, state: 'Ok', ceilingReplicas: 2 }],
            plan: [],
          },
        },
      ],
    });
  });

  it.each([
    // 120 connections with the buffer against each limit
    ['140', 'Warning', 86, 1],
    ['125', 'Critical', 96, 2],
    ['100', 'Exceeded', 120, 2],
  ])('--limit %s: %s at %i percent, exit %i', async (limit, level, percent, exit) => {
    const { code, document } = await planJson(['-f', teamBudget, '--instance', 'team-graph', '--limit', limit]);
    expect(document.instances[0]?.status).toMatchObject({ level, planned: { percent } });
    expect(code).toBe(exit);
  });

  it('a budget whose instance is in neither the files nor --instance: exit 3, file, line and field path', async () => {
    const run = await runCli(['plan', '-f', teamBudget]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `boltbudget plan: ${teamBudget}:25: BoltBudget team/reports: spec.instanceRef.name: Neo4jInstance team-graph is neither in the input nor given with --instance team-graph --limit N\n`,
    );
  });

  it.each([
    [['--instance', 'team-graph'], '--instance team-graph needs --limit N'],
    [['--limit', '100'], '--limit needs --instance NAME'],
    [['--instance', 'team-graph', '--limit', 'lots'], '--limit: expected a whole number of connections, got "lots"'],
    [['--instance', 'team-graph', '--limit', '0'], '--limit: spec.connectionLimit: Too small'],
    [['--instance', 'Team_Graph', '--limit', '10'], '--instance: metadata.name: Invalid string'],
  ])('bad %j: exit 3 with %s', async (flags, message) => {
    const run = await runCli(['plan', '-f', teamBudget, ...flags]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });

  it('--instance naming an instance that the files define too: exit 3 naming where', async () => {
    const seed = join(examplesDir, 'seed-ten-services.yaml');
    const run = await runCli(['plan', '-f', seed, '--instance', 'seed-graph', '--limit', '500']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`--instance seed-graph: a Neo4jInstance of that name is in the input (${seed}:4)`);
  });
});
