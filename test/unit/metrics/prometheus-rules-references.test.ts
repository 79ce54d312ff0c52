import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertRules, groupingLabels, metricReferences } from '../../support/promql-references.ts';
import { exportedMetrics } from './exported-metrics.ts';

// Labels a scrape adds (the ServiceMonitor's target labels); the operator's own never use instance or job.
const TARGET_LABELS = new Set(['job', 'namespace']);

describe('the alerting rules', () => {
  const rules = alertRules();

  it('has the alerts of issue 8, each with a severity and a runbook under docs/runbooks named after it', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual(
      [
        'BoltBudgetPlannedUtilisationWarning',
        'BoltBudgetPlannedUtilisationCritical',
        'BoltBudgetCurrentUtilisationWarning',
        'BoltBudgetCurrentUtilisationCritical',
        'BoltBudgetObservedUtilisationWarning',
        'BoltBudgetObservedUtilisationCritical',
        'BoltBudgetPeakExceedsLimit',
        'BoltBudgetLeakSuspected',
        'BoltBudgetHighChurn',
        'BoltBudgetThreadPoolPressure',
        'BoltBudgetInstanceUnreachable',
        'BoltBudgetOperatorDown',
        'BoltBudgetNoLeader',
        'BoltBudgetReconcileErrors',
        'BoltBudgetCacheBehind',
      ].sort(),
    );
    for (const rule of rules) {
      expect(['info', 'warning', 'critical'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.runbook_url, rule.alert).toBe(`https://github.com/boltbudget/boltbudget/blob/main/docs/runbooks/${rule.alert}.md`);
    }
  });

  it('has one runbook per alert in docs/runbooks, and no runbook without its alert', () => {
    const runbooks = join(import.meta.dirname, '..', '..', '..', 'docs', 'runbooks');
    const files = readdirSync(runbooks).filter((file) => file.endsWith('.md'));
    expect(files.sort()).toEqual(rules.map((rule) => `${rule.alert}.md`).sort());
    for (const rule of rules) expect(readFileSync(join(runbooks, `${rule.alert}.md`), 'utf8').split('\n')[0]).toBe(`# ${rule.alert}`);
  });

  it('reads only metrics the operator exports, by labels they have, and never an instance label', async () => {
    const exported = await exportedMetrics();
    const isHistogram = (name: string): boolean => exported.get(name)?.type === 'histogram';
    for (const rule of rules) {
      const labelsOfExpr = new Set<string>();
      for (const { metric, matchedLabels } of metricReferences(rule.expr, isHistogram)) {
        const known = exported.get(metric);
        expect(known, `${rule.alert} reads ${metric}`).toBeDefined();
        for (const label of matchedLabels) expect(known?.labelNames.has(label), `${rule.alert}: ${metric} has no label ${label}`).toBe(true);
        for (const label of known?.labelNames ?? []) labelsOfExpr.add(label);
      }
      for (const label of groupingLabels(rule.expr)) expect(labelsOfExpr.has(label) || TARGET_LABELS.has(label), `${rule.alert}: groups by ${label}`).toBe(true);
      expect(rule.expr, rule.alert).not.toMatch(/\binstance\s*(=|!=|=~|!~)|\(\s*instance\s*[,)]/);
    }
  });

  it('compares the capacity views with each instance\'s own lines, not fixed numbers', () => {
    const capacity = rules.filter((rule) => /Utilisation(Warning|Critical)$/.test(rule.alert));
    expect(capacity).toHaveLength(6);
    for (const rule of capacity) {
      const line = rule.alert.endsWith('Warning') ? 'boltbudget_instance_warning_ratio' : 'boltbudget_instance_critical_ratio';
      expect(rule.expr, rule.alert).toContain(line);
      expect(rule.expr, rule.alert).not.toMatch(/0\.8\b|0\.95\b/);
    }
  });
});
