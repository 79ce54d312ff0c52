import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/api/conditions.ts';
import type { Neo4jInstanceStatus } from '../../../src/api/neo4j-instance.ts';
import { OperatorMetrics } from '../../../src/metrics/operator-metrics.ts';

type Series = { labels: Record<string, string | number>; value: number };

async function series(metrics: OperatorMetrics, name: string): Promise<Series[]> {
  const found = (await metrics.registry.getMetricsAsJSON()).find((metric) => metric.name === name);
  return (found?.values ?? []) as Series[];
}

async function allLabelNames(metrics: OperatorMetrics): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) for (const value of metric.values) for (const label of Object.keys(value.labels)) names.add(label);
  return names;
}

function condition(type: string, status: Condition['status']): Condition {
  return { type, status, reason: 'Because', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' };
}

const LINES = { connectionLimit: 300, warningPercent: 70, criticalPercent: 90 };

const FULL_STATUS: Neo4jInstanceStatus = {
  level: 'Warning',
  planned: { connections: 220, buffer: 44, percent: 88 },
  current: { connections: 180, buffer: 36, percent: 72 },
  peak: { connections: 300, percent: 100 },
  observed: { connections: 143, running: 12, idle: 131, unattributed: 5, openedPerMinute: 3, closedPerMinute: 2, percent: 48, threadPoolMaxSize: 400, sampledAt: '2026-01-01T00:00:00Z' },
  conditions: [condition('Reachable', 'False'), condition('LeakSuspected', 'True'), condition('HighChurn', 'Unknown')],
};

function populated(): OperatorMetrics {
  const metrics = new OperatorMetrics(false);
  metrics.observeInstance('prod-graph', LINES, FULL_STATUS);
  metrics.observePoll('prod-graph', true);
  metrics.observePoll('prod-graph', false);
  metrics.observeWorkloads('shop', 'orders', 'prod-graph', [
    { kind: 'Deployment', name: 'orders-api', connections: { observed: 61 } },
    { kind: 'StatefulSet', name: 'orders-worker', connections: { observed: 7 } },
  ]);
  return metrics;
}

describe('OperatorMetrics labels', () => {
  it('labels every per-instance series neo4jinstance and no series instance or job (Prometheus owns those)', async () => {
    const metrics = populated();
    const labels = await allLabelNames(metrics);
    expect(labels).toContain('neo4jinstance');
    expect(labels).not.toContain('instance');
    expect(labels).not.toContain('job');
    for (const name of ['boltbudget_instance_connection_limit', 'boltbudget_instance_warning_ratio', 'boltbudget_instance_critical_ratio', 'boltbudget_instance_connections', 'boltbudget_instance_utilisation_ratio', 'boltbudget_instance_level', 'boltbudget_instance_condition', 'boltbudget_instance_observed', 'boltbudget_instance_polls_total', 'boltbudget_workload_observed_connections']) {
      const values = await series(metrics, name);
      expect(values.length, name).toBeGreaterThan(0);
      for (const value of values) expect(value.labels.neo4jinstance, name).toBe('prod-graph');
    }
  });

  it('counts polls by result', async () => {
    const metrics = populated();
    metrics.observePoll('prod-graph', true);
    expect(await series(metrics, 'boltbudget_instance_polls_total')).toEqual(
      expect.arrayContaining([
        { labels: { neo4jinstance: 'prod-graph', result: 'reached' }, value: 2 },
        { labels: { neo4jinstance: 'prod-graph', result: 'unreachable' }, value: 1 },
      ]),
    );
  });
});

describe('observeInstance', () => {
  it('shows the instance\'s own warning and critical lines as ratios', async () => {
    const metrics = populated();
    expect(await series(metrics, 'boltbudget_instance_warning_ratio')).toEqual([{ labels: { neo4jinstance: 'prod-graph' }, value: 0.7 }]);
    expect(await series(metrics, 'boltbudget_instance_critical_ratio')).toEqual([{ labels: { neo4jinstance: 'prod-graph' }, value: 0.9 }]);
    expect(await series(metrics, 'boltbudget_instance_connection_limit')).toEqual([{ labels: { neo4jinstance: 'prod-graph' }, value: 300 }]);
  });

  it('sets 1 for each condition\'s current status and 0 for the other two', async () => {
    const values = await series(populated(), 'boltbudget_instance_condition');
    const value = (type: string, status: string): number | undefined => values.find((v) => v.labels.condition === type && v.labels.status === status)?.value;
    expect(values).toHaveLength(9);
    expect([value('Reachable', 'True'), value('Reachable', 'False'), value('Reachable', 'Unknown')]).toEqual([0, 1, 0]);
    expect([value('LeakSuspected', 'True'), value('LeakSuspected', 'False'), value('LeakSuspected', 'Unknown')]).toEqual([1, 0, 0]);
    expect([value('HighChurn', 'True'), value('HighChurn', 'False'), value('HighChurn', 'Unknown')]).toEqual([0, 0, 1]);
  });

  it('follows a condition\'s change and drops conditions the status no longer has', async () => {
    const metrics = populated();
    metrics.observeInstance('prod-graph', LINES, { ...FULL_STATUS, conditions: [condition('Reachable', 'True')] });
    const values = await series(metrics, 'boltbudget_instance_condition');
    expect(values.map((v) => `${v.labels.condition}=${v.labels.status}:${v.value}`).sort()).toEqual(['Reachable=False:0', 'Reachable=True:1', 'Reachable=Unknown:0']);
  });

  it('drops the views, figures and lines a later status or an invalid spec no longer has', async () => {
    const metrics = populated();
    metrics.observeInstance('prod-graph', undefined, { level: 'Healthy', planned: { connections: 10, buffer: 2, percent: 4 } });
    expect((await series(metrics, 'boltbudget_instance_utilisation_ratio')).map((v) => v.labels.view)).toEqual(['planned']);
    expect((await series(metrics, 'boltbudget_instance_connections')).map((v) => v.labels.view)).toEqual(['planned']);
    expect(await series(metrics, 'boltbudget_instance_observed')).toEqual([]);
    expect(await series(metrics, 'boltbudget_instance_warning_ratio')).toEqual([]);
    expect(await series(metrics, 'boltbudget_instance_critical_ratio')).toEqual([]);
    expect(await series(metrics, 'boltbudget_instance_connection_limit')).toEqual([]);
    expect(await series(metrics, 'boltbudget_instance_condition')).toEqual([]);
  });

  it('shows utilisation as a ratio of the limit', async () => {
    const values = await series(populated(), 'boltbudget_instance_utilisation_ratio');
    expect(Object.fromEntries(values.map((v) => [v.labels.view, v.value]))).toEqual({ planned: 0.88, current: 0.72, peak: 1, observed: 0.48 });
  });
});

describe('forgetInstance', () => {
  it('removes every series labelled with the deleted instance and keeps the others', async () => {
    const metrics = populated();
    metrics.observeInstance('other-graph', LINES, FULL_STATUS);
    metrics.forgetInstance('prod-graph');
    for (const metric of await metrics.registry.getMetricsAsJSON()) {
      for (const value of metric.values) expect(value.labels.neo4jinstance, metric.name).not.toBe('prod-graph');
    }
    expect(await series(metrics, 'boltbudget_instance_condition')).toHaveLength(9);
  });

  it('ignores a poll that finishes after its instance was deleted, until the instance is observed again', async () => {
    const metrics = populated();
    metrics.forgetInstance('prod-graph');
    metrics.observePoll('prod-graph', true);
    expect(await series(metrics, 'boltbudget_instance_polls_total')).toEqual([]);
    metrics.observeInstance('prod-graph', LINES, {});
    metrics.observePoll('prod-graph', true);
    expect(await series(metrics, 'boltbudget_instance_polls_total')).toEqual([{ labels: { neo4jinstance: 'prod-graph', result: 'reached' }, value: 1 }]);
  });
});

describe('observeWorkloads and forgetBudget', () => {
  it('labels a workload with its budget and instance', async () => {
    expect(await series(populated(), 'boltbudget_workload_observed_connections')).toContainEqual({
      labels: { neo4jinstance: 'prod-graph', namespace: 'shop', boltbudget: 'orders', kind: 'Deployment', name: 'orders-api' },
      value: 61,
    });
  });

  it('drops the series of a workload the budget no longer lists, or no longer observes', async () => {
    const metrics = populated();
    metrics.observeWorkloads('shop', 'orders', 'prod-graph', [{ kind: 'Deployment', name: 'orders-api', connections: { observed: 60 } }]);
    expect((await series(metrics, 'boltbudget_workload_observed_connections')).map((v) => [v.labels.name, v.value])).toEqual([['orders-api', 60]]);
    metrics.observeWorkloads('shop', 'orders', 'prod-graph', [{ kind: 'Deployment', name: 'orders-api', connections: {} }]);
    expect(await series(metrics, 'boltbudget_workload_observed_connections')).toEqual([]);
  });

  it('moves the series when the budget names another instance', async () => {
    const metrics = populated();
    metrics.observeWorkloads('shop', 'orders', 'new-graph', [{ kind: 'Deployment', name: 'orders-api', connections: { observed: 5 } }]);
    expect((await series(metrics, 'boltbudget_workload_observed_connections')).map((v) => v.labels.neo4jinstance)).toEqual(['new-graph']);
  });

  it('removes a deleted budget\'s series and keeps those of a budget of the same name elsewhere', async () => {
    const metrics = populated();
    metrics.observeWorkloads('billing', 'orders', 'prod-graph', [{ kind: 'Deployment', name: 'orders-api', connections: { observed: 9 } }]);
    metrics.forgetBudget('shop', 'orders');
    expect(await series(metrics, 'boltbudget_workload_observed_connections')).toEqual([
      { labels: { neo4jinstance: 'prod-graph', namespace: 'billing', boltbudget: 'orders', kind: 'Deployment', name: 'orders-api' }, value: 9 },
    ]);
  });
});
