import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toolPath } from '../../local/tools.ts';
import { DASHBOARD_FILE } from '../support/promql-references.ts';

const CHART = join(import.meta.dirname, '..', '..', 'charts', 'boltbudget');

interface Rendered {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

function template(args: readonly string[]): Rendered[] {
  const result = spawnSync(toolPath('helm'), ['template', 'shop-ops', CHART, '--namespace', 'ops', ...args], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as Rendered | null)
    .filter((object): object is Rendered => object !== null);
}

describe('the chart\'s ServiceMonitor and Grafana dashboard', () => {
  it('the ServiceMonitor selects exactly the metrics Service, on its metrics port, with the additional labels', () => {
    const objects = template(['--set', 'serviceMonitor.enabled=true', '--set', 'serviceMonitor.additionalLabels.release=kube-prometheus-stack', '--set', 'serviceMonitor.interval=15s']);
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor');
    const services = objects.filter((o) => o.kind === 'Service');
    expect(monitor?.metadata.labels?.release).toBe('kube-prometheus-stack');
    const spec = monitor?.spec as { selector: { matchLabels: Record<string, string> }; namespaceSelector: { matchNames: string[] }; endpoints: { port: string; interval: string; honorLabels: boolean }[] };
    expect(spec.namespaceSelector.matchNames).toEqual(['ops']);
    const selected = services.filter((service) => Object.entries(spec.selector.matchLabels).every(([key, value]) => service.metadata.labels?.[key] === value));
    expect(selected.map((service) => service.metadata.name)).toEqual(['shop-ops-boltbudget-metrics']);
    const ports = (selected[0]?.spec as { ports: { name: string }[] }).ports.map((port) => port.name);
    expect(spec.endpoints.map((endpoint) => endpoint.port)).toEqual(['metrics']);
    expect(ports).toContain('metrics');
    expect(spec.endpoints[0]).toMatchObject({ interval: '15s', honorLabels: true });
  });

  it('the dashboard ConfigMap carries the sidecar label and the dashboard JSON unchanged', () => {
    const objects = template(['--set', 'grafanaDashboard.enabled=true', '--set', 'grafanaDashboard.namespace=grafana', '--set', 'grafanaDashboard.sidecarLabel=dashboards', '--set', 'grafanaDashboard.sidecarLabelValue=boltbudget']);
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.data?.['boltbudget.json'] !== undefined);
    expect(configMap?.metadata.namespace).toBe('grafana');
    expect(configMap?.metadata.labels?.dashboards).toBe('boltbudget');
    expect(JSON.parse(configMap?.data?.['boltbudget.json'] ?? '')).toEqual(JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')));
  });
});
