import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { parseExposition, type Exposition, type Sample } from '../../support/exposition.ts';
import { objectApi } from '../../support/kube.ts';
import { startLoad, type LoadProcess } from '../../../local/load/load-process.ts';
import { boltBudget, budgetStatus, deployment, instanceStatus } from '../../support/objects.ts';
import { neo4jCredentials, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { alertRules, dashboardPanels, metricReferences, readDashboard, type Matcher } from '../../support/promql-references.ts';

const api = objectApi();

/** Counters with labels have no sample until the first increment: a healthy run has no reconcile error and no cache behind. */
const NO_SAMPLE_UNTIL_IT_HAPPENS = new Set(['boltbudget_reconcile_errors_total', 'boltbudget_cache_behind_total']);

function matches(sample: Sample, matchers: readonly Matcher[]): boolean {
  return matchers.every(({ label, op, value }) => {
    const actual = sample.labels[label] ?? '';
    const regex = new RegExp(`^(?:${value})$`);
    if (op === '=') return actual === value;
    if (op === '!=') return actual !== value;
    if (op === '=~') return regex.test(actual);
    return !regex.test(actual);
  });
}

describe('the metrics a real operator exports are the ones the rules and the dashboard read', () => {
  let operator: OperatorProcess;
  let load: LoadProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;

  async function scrape(): Promise<Exposition> {
    return parseExposition(await (await fetch(`http://${operator.metricsAddress}/metrics`)).text());
  }

  beforeAll(async () => {
    created = await observedInstance({ connectionLimit: 100 });
    const { namespace, instanceName } = created;
    created.objects.push(
      deployment(namespace, 'orders-api', 1),
      boltBudget(namespace, 'orders', { instanceRef: { name: instanceName }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'orders-api', poolSize: 10, userAgent: 'metrics-app/*' }] }),
    );
    await applyAll(api, created.objects);
    load = await startLoad('idle', { count: 2, userAgent: 'metrics-app/1.0' }, neo4jCredentials());
    operator = await startOperator(['--secret-namespaces', namespace]);
    // Every view and every condition is in the status, and the workload's live connections are attributed.
    await eventually(async () => {
      expect((await instanceStatus(instanceName))?.observed?.connections).toBe(2);
      expect((await budgetStatus(namespace, 'orders'))?.workloads?.[0]?.connections.observed).toBe(2);
    }, 45_000);
  });
  afterAll(async () => {
    await load.stop();
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  it('every series a rule selects exists, labelled neo4jinstance with the instance\'s name; no series has an instance or job label', async () => {
    const { instanceName } = created;
    const exposition = await eventually(async () => {
      const found = await scrape();
      expect(found.samples.some((s) => s.name === 'boltbudget_workload_observed_connections' && s.labels.neo4jinstance === instanceName)).toBe(true);
      return found;
    });
    for (const sample of exposition.samples) {
      expect(Object.keys(sample.labels), sample.name).not.toContain('instance');
      expect(Object.keys(sample.labels), sample.name).not.toContain('job');
    }
    let selectors = 0;
    for (const rule of alertRules()) {
      for (const { metric, matchers } of metricReferences(rule.expr)) {
        selectors += 1;
        expect(exposition.families.has(metric), `${rule.alert}: ${metric} is not exported`).toBe(true);
        if (NO_SAMPLE_UNTIL_IT_HAPPENS.has(metric)) continue;
        const selected = exposition.samples.filter((sample) => sample.name === metric && matches(sample, matchers));
        expect(selected.length, `${rule.alert}: nothing matches ${metric}${JSON.stringify(matchers)}`).toBeGreaterThan(0);
        if (metric.startsWith('boltbudget_instance_')) expect(selected.map((s) => s.labels.neo4jinstance), `${rule.alert}: ${metric}`).toContain(instanceName);
      }
    }
    expect(selectors).toBeGreaterThanOrEqual(17);
    // The condition gauge: 1 for each condition's status, 0 for the other two.
    const reachable = exposition.samples.filter((s) => s.name === 'boltbudget_instance_condition' && s.labels.neo4jinstance === instanceName && s.labels.condition === 'Reachable');
    expect(Object.fromEntries(reachable.map((s) => [s.labels.status, s.value]))).toEqual({ True: 1, False: 0, Unknown: 0 });
    const lines = exposition.samples.filter((s) => /^boltbudget_instance_(warning|critical)_ratio$/.test(s.name) && s.labels.neo4jinstance === instanceName);
    expect(Object.fromEntries(lines.map((s) => [s.name, s.value]))).toEqual({ boltbudget_instance_warning_ratio: 0.8, boltbudget_instance_critical_ratio: 0.95 });
  });

  it('every metric a dashboard panel reads is exported', async () => {
    const exposition = await scrape();
    const isHistogram = (name: string): boolean => exposition.families.get(name) === 'histogram';
    const panels = dashboardPanels(readDashboard());
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        for (const { metric } of metricReferences(target.expr, isHistogram)) expect(exposition.families.has(metric), `${panel.title}: ${metric}`).toBe(true);
      }
    }
  });

  it('a deleted budget\'s workload series go, then a deleted instance\'s series go', async () => {
    const { namespace, instanceName } = created;
    const ofBudget = (e: Exposition): Sample[] => e.samples.filter((s) => s.labels.boltbudget === 'orders' && s.labels.namespace === namespace);
    expect(ofBudget(await scrape()).length).toBeGreaterThan(0);
    const budget = created.objects.find((o) => o.kind === 'BoltBudget');
    await deleteAll(api, budget ? [budget] : []);
    await eventually(async () => expect(ofBudget(await scrape())).toEqual([]), 20_000);

    const ofInstance = (e: Exposition): Sample[] => e.samples.filter((s) => s.labels.neo4jinstance === instanceName);
    expect(ofInstance(await scrape()).length).toBeGreaterThan(0);
    const instance = created.objects.find((o) => o.kind === 'Neo4jInstance');
    await deleteAll(api, instance ? [instance] : []);
    await eventually(async () => expect(ofInstance(await scrape())).toEqual([]), 20_000);
  });
});
