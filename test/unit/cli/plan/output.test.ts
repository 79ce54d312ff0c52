import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { examplesDir, fixturesDir, runCli } from './plan-cli.ts';

const hpa = join(examplesDir, 'hpa-autoscaled.yaml');
const ESC = '\u001b[';

describe('plan output: -o json / -o yaml shapes, colour only on a terminal', () => {
  it('-o json has exactly the keys the operator writes, without observedGeneration, conditions and observed', async () => {
    const run = await runCli(['plan', '-f', hpa, '-f', join(fixturesDir, 'scale-over.yaml'), '-o', 'json']);
    const document = JSON.parse(run.stdout) as { instances: Record<string, unknown>[]; budgets: Record<string, unknown>[] };
    expect(Object.keys(document)).toEqual(['instances', 'budgets']);
    for (const instance of document.instances) {
      expect(Object.keys(instance)).toEqual(['name', 'status']);
      expect(Object.keys(instance.status as object)).toEqual(['level', 'budgets', 'planned', 'current', 'peak']);
    }
    for (const budget of document.budgets) {
      expect(Object.keys(budget)).toEqual(['namespace', 'name', 'status']);
      const status = budget.status as { workloads: Record<string, unknown>[]; plan: Record<string, unknown>[] };
      expect(Object.keys(status)).toEqual(['level', 'planned', 'current', 'peak', 'sharePercent', 'workloads', 'plan']);
      for (const workload of status.workloads) expect(Object.keys(workload)).toEqual(['kind', 'name', 'poolSize', 'replicas', 'connections', 'state', 'ceilingReplicas']);
    }
    const ops = document.budgets.find((b) => b.name === 'ops')?.status as { plan: Record<string, unknown>[] };
    expect(Object.keys(ops.plan[0] ?? {})).toEqual(['kind', 'name', 'from', 'to', 'reason']);
    expect(run.code).toBe(2);
  });

  it('-o yaml is the same document as -o json', async () => {
    const json = await runCli(['plan', '-f', examplesDir, '-o', 'json']);
    const yaml = await runCli(['plan', '-f', examplesDir, '-o', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    expect(yaml.stdout.startsWith('instances:\n  - name: local-graph\n    status:\n      level: Healthy\n')).toBe(true);
  });

  it('no escape codes when stdout is not a terminal, nor on a terminal with NO_COLOR; colour on a terminal', async () => {
    const plain = await runCli(['plan', '-f', hpa]);
    expect(plain.stdout).toContain('[##########..........]');
    expect(plain.stdout).not.toContain(ESC);
    const noColor = await runCli(['plan', '-f', hpa], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain(ESC);
    expect(noColor.stdout).toBe(plain.stdout);
    const terminal = await runCli(['plan', '-f', hpa], { isTTY: true, env: {} });
    // Healthy in green, the same text once the colour is taken out.
    expect(terminal.stdout).toContain(`${ESC}32mHealthy${ESC}0m`);
    expect(terminal.stdout.replaceAll(new RegExp(`${ESC.replace('[', '\\[')}[0-9;]*m`, 'g'), '')).toBe(plain.stdout);
  });
});
