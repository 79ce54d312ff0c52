import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/kube.ts';
import { failureOf, findObject, kubectl, renderChart, type RenderedObject } from '../../support/helm.ts';

const CRDS = join(import.meta.dirname, '..', '..', 'fixtures', 'prometheus-operator');

/** Server-side dry-run apply: the API server validates against the CRD's schema and stores nothing. */
function dryRun(objects: readonly unknown[]): Promise<string> {
  return kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=monitoring-objects-test', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
}

describe('the chart\'s ServiceMonitor and PrometheusRule against prometheus-operator\'s real CRD schemas', () => {
  const namespace = uniqueName('monitoring');

  beforeAll(async () => {
    // Same field manager as other suites that install stand-ins for these CRDs: each apply replaces the other's.
    const crds = ['servicemonitors', 'prometheusrules'].map((name) => readFileSync(join(CRDS, `${name}.crd.yaml`), 'utf8')).join('\n');
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], crds);
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/servicemonitors.monitoring.coreos.com', 'crd/prometheusrules.monitoring.coreos.com']);
    await kubectl(['create', 'namespace', namespace]);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', '--wait=false', '--ignore-not-found', namespace]);
  });

  it('the API server accepts both as rendered', async () => {
    const { objects } = await renderChart('boltbudget', namespace, {
      set: ['serviceMonitor.enabled=true', 'serviceMonitor.additionalLabels.release=kube-prometheus-stack', 'prometheusRule.enabled=true', 'prometheusRule.additionalLabels.release=kube-prometheus-stack'],
    });
    const output = await dryRun([findObject(objects, 'ServiceMonitor'), findObject(objects, 'PrometheusRule')]);
    expect(output).toContain('servicemonitor.monitoring.coreos.com/boltbudget serverside-applied (server dry run)');
    expect(output).toContain('prometheusrule.monitoring.coreos.com/boltbudget serverside-applied (server dry run)');
  });

  it('the schema is really checked: a mistyped field of each is rejected', async () => {
    const { objects } = await renderChart('boltbudget', namespace, { set: ['serviceMonitor.enabled=true', 'prometheusRule.enabled=true'] });
    const monitor = structuredClone(findObject(objects, 'ServiceMonitor')) as RenderedObject & { spec: { endpoints: Record<string, unknown>[] } };
    // Not "yes": kubectl reads YAML 1.1, where yes is a boolean.
    monitor.spec.endpoints[0] = { ...monitor.spec.endpoints[0], honorLabels: 'sometimes' };
    expect(await failureOf(dryRun([monitor]))).toMatch(/honorLabels/);
    const rule = structuredClone(findObject(objects, 'PrometheusRule')) as RenderedObject & { spec: { groups: { rules: Record<string, unknown>[] }[] } };
    rule.spec.groups[0]!.rules[0] = { ...rule.spec.groups[0]!.rules[0], for: 'five minutes' };
    expect(await failureOf(dryRun([rule]))).toMatch(/for/);
  });
});
