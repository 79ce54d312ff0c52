import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { toolPath } from '../../local/tools.ts';
import { RULES_FILE } from '../support/promql-references.ts';

const projectRoot = join(import.meta.dirname, '..', '..');
const RULES_TEST = join(projectRoot, 'test', 'fixtures', 'prometheus', 'rules.test.yaml');
const CHART = join(projectRoot, 'charts', 'boltbudget');

interface Result {
  code: number | null;
  output: string;
}

function run(command: string, args: readonly string[]): Result {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: projectRoot });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the PrometheusRule groups, checked and tested by promtool', () => {
  const work = mkdtempSync(join(tmpdir(), 'boltbudget-rules-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Runs the fixture's tests against another rule file (a mutant, or what the chart rendered). */
  function testRulesAgainst(rules: string): Result {
    const rulesPath = join(work, `rules-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(rulesPath, rules);
    const tests = readFileSync(RULES_TEST, 'utf8').replace('../../../charts/boltbudget/files/prometheus-rules.yaml', rulesPath);
    const testsPath = `${rulesPath}.test.yaml`;
    writeFileSync(testsPath, tests);
    return run(toolPath('promtool'), ['test', 'rules', testsPath]);
  }

  it('promtool check rules accepts the groups file as it is', () => {
    const result = run(toolPath('promtool'), ['check', 'rules', RULES_FILE]);
    expect(result.output).toContain('SUCCESS: 15 rules found');
    expect(result.code).toBe(0);
  });

  it('promtool test rules: warning and critical fire above each instance\'s lines and not on them; leak, unreachable, no leader, operator down, errors', () => {
    const result = run(toolPath('promtool'), ['test', 'rules', RULES_TEST]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('the tests catch a warning rule that fires on the line instead of above it', () => {
    const rules = readFileSync(RULES_FILE, 'utf8');
    const mutant = rules.replace('> max by (neo4jinstance) (boltbudget_instance_warning_ratio)', '>= max by (neo4jinstance) (boltbudget_instance_warning_ratio)');
    expect(mutant).not.toBe(rules);
    const result = testRulesAgainst(mutant);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FAILED:[\s\S]*alertname: BoltBudgetPlannedUtilisationWarning/);
  });

  it('the tests catch rules written against the old instance label (they would match nothing in a real Prometheus)', () => {
    const mutant = readFileSync(RULES_FILE, 'utf8').replaceAll('neo4jinstance', 'exported_instance');
    const result = testRulesAgainst(mutant);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FAILED:[\s\S]*alertname: BoltBudgetLeakSuspected/);
  });

  it('the chart\'s PrometheusRule embeds the same groups with the runbook base and the job of its metrics Service', () => {
    const rendered = run(toolPath('helm'), [
      'template', 'shop-ops', CHART, '--namespace', 'monitoring-test',
      '--set', 'prometheusRule.enabled=true',
      '--set', 'prometheusRule.runbookBaseUrl=https://runbooks.example.com/boltbudget/',
      '--set', 'prometheusRule.additionalLabels.release=kube-prometheus-stack',
      '--show-only', 'templates/prometheusrule.yaml',
    ]);
    expect(rendered.code, rendered.output).toBe(0);
    const [rule] = parseAllDocuments(rendered.output).map((document) => document.toJS() as { kind: string; metadata: { labels: Record<string, string> }; spec: { groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[] } });
    expect(rule?.kind).toBe('PrometheusRule');
    expect(rule?.metadata.labels.release).toBe('kube-prometheus-stack');
    const rules = rule?.spec.groups.flatMap((group) => group.rules) ?? [];
    expect(rules).toHaveLength(15);
    for (const alert of rules) expect(alert.annotations.runbook_url).toBe(`https://runbooks.example.com/boltbudget/${alert.alert}.md`);
    expect(rules.find((alert) => alert.alert === 'BoltBudgetOperatorDown')?.expr).toContain('up{job="shop-ops-boltbudget-metrics"}');

    // What the chart renders is still a rule file promtool accepts.
    const groupsPath = join(work, 'rendered.yaml');
    writeFileSync(groupsPath, JSON.stringify({ groups: rule?.spec.groups }));
    const checked = run(toolPath('promtool'), ['check', 'rules', groupsPath]);
    expect(checked.output).toContain('SUCCESS: 15 rules found');
  });

  it('the chart renders nothing of it by default', () => {
    const rendered = run(toolPath('helm'), ['template', 'boltbudget', CHART, '--namespace', 'boltbudget-system']);
    expect(rendered.code, rendered.output).toBe(0);
    expect(rendered.output).not.toMatch(/kind: (PrometheusRule|ServiceMonitor)/);
    expect(rendered.output).not.toContain('boltbudget.json');
  });
});
