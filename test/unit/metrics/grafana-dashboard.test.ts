import { describe, expect, it } from 'vitest';
import { dashboardPanels, groupingLabels, metricReferences, readDashboard } from '../../support/promql-references.ts';
import { exportedMetrics } from './exported-metrics.ts';

// Labels Prometheus itself sets on every scraped series (job, instance) or the ServiceMonitor's targets add.
const TARGET_LABELS = new Set(['job', 'namespace', 'pod', 'service', 'endpoint', 'container', 'le']);

describe('the Grafana dashboard', () => {
  const dashboard = readDashboard();
  const panels = dashboardPanels(dashboard).filter((panel) => panel.type !== 'row');
  const expressions = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

  it('has a Prometheus datasource variable and every panel and query uses it', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(panels.length).toBeGreaterThanOrEqual(8);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets ?? []) expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('has a neo4jinstance variable read from the operator\'s metrics, used by the per-instance panels', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'neo4jinstance');
    expect(variable).toMatchObject({ type: 'query', datasource: { type: 'prometheus', uid: '${datasource}' } });
    expect(JSON.stringify(variable?.query)).toContain('label_values(boltbudget_instance_connection_limit, neo4jinstance)');
    const perInstance = expressions.filter(({ expr }) => /boltbudget_(instance|workload)_/.test(expr));
    expect(perInstance.length).toBeGreaterThan(5);
    for (const { panel, expr } of perInstance) expect(expr, panel).toContain('neo4jinstance=~"$neo4jinstance"');
  });

  it('queries only metrics the operator exports, by labels they have', async () => {
    const exported = await exportedMetrics();
    const isHistogram = (name: string): boolean => exported.get(name)?.type === 'histogram';
    let references = 0;
    for (const { panel, expr } of expressions) {
      const metrics = metricReferences(expr, isHistogram);
      expect(metrics.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      const labelsOfExpr = new Set<string>();
      for (const { metric, matchedLabels } of metrics) {
        references += 1;
        const known = exported.get(metric);
        expect(known, `${panel} reads ${metric}`).toBeDefined();
        for (const label of matchedLabels) expect(known?.labelNames.has(label), `${panel}: ${metric} has no label ${label}`).toBe(true);
        for (const label of known?.labelNames ?? []) labelsOfExpr.add(label);
      }
      for (const label of groupingLabels(expr)) expect(labelsOfExpr.has(label) || TARGET_LABELS.has(label), `${panel}: groups by ${label}`).toBe(true);
      expect(expr).not.toMatch(/\binstance\s*(=|!=|=~|!~)/);
    }
    expect(references).toBeGreaterThan(15);
  });

  it('shows what the issue asks for: lines, the four views, per-workload, running/idle, opened/closed, polls, errors, duration', () => {
    const all = expressions.map(({ expr }) => expr).join('\n');
    for (const needle of ['boltbudget_instance_warning_ratio', 'boltbudget_instance_critical_ratio', 'boltbudget_instance_connections', 'boltbudget_workload_observed_connections', 'running|idle', 'opened_per_minute|closed_per_minute', 'boltbudget_instance_polls_total', 'boltbudget_reconcile_errors_total', 'boltbudget_reconcile_duration_seconds_bucket']) {
      expect(all).toContain(needle);
    }
  });
});
