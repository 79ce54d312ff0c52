// The chart as helm sees it (lint, template, schema) and as the real API server sees what it renders
// (a server-side dry-run apply of every object, the default install and the one with every part on).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allOnValues, chartDir, failureOf, findObject, helm, kubectl, monitoringCrds, renderChart, type RenderedObject } from '../../support/helm.ts';
import { uniqueName } from '../../support/kube.ts';

interface Container {
  args: string[];
  env: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext: Record<string, unknown>;
  startupProbe: { httpGet: { path: string } };
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  ports: { containerPort: number }[];
  resources: unknown;
  image: string;
}
interface PodSpec {
  securityContext: Record<string, unknown>;
  automountServiceAccountToken: boolean;
  serviceAccountName: string;
  terminationGracePeriodSeconds: number;
  containers: Container[];
}

function podSpecOf(objects: readonly RenderedObject[]): PodSpec {
  return (findObject(objects, 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

const OPTIONAL_KINDS = ['NetworkPolicy', 'PodDisruptionBudget', 'ServiceMonitor', 'PrometheusRule', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];

describe('the chart, rendered', () => {
  const namespace = uniqueName('chart-render');
  const release = 'boltbudget';
  // Namespaces the all-on values name (Roles and RoleBindings live there): they must exist for the dry-run.
  const allOn = parse(readFileSync(allOnValues, 'utf8')) as { watchNamespaces: string[]; secretNamespaces: string[]; eventNamespace: string };
  const extraNamespaces = [...new Set([...allOn.watchNamespaces, ...allOn.secretNamespaces, allOn.eventNamespace])];

  beforeAll(async () => {
    // The same field manager as the metrics suite, which installs the same CRDs: each apply replaces the other's.
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], monitoringCrds());
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/servicemonitors.monitoring.coreos.com', 'crd/prometheusrules.monitoring.coreos.com']);
    for (const name of [namespace, ...extraNamespaces]) await kubectl(['create', 'namespace', name]);
  });

  afterAll(async () => {
    await kubectl(['delete', 'namespace', '--wait=false', '--ignore-not-found', namespace, ...extraNamespaces]);
  });

  it('passes helm lint --strict with the defaults and with every optional part on', async () => {
    const defaults = await helm(['lint', '--strict', chartDir]);
    expect(defaults).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(defaults).not.toMatch(/\[(WARNING|ERROR)\]/);
    const everything = await helm(['lint', '--strict', chartDir, '--values', allOnValues]);
    expect(everything).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(everything).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  it('renders a restricted, leader-elected operator Deployment and no optional part by default', async () => {
    const { objects } = await renderChart(release, namespace);
    expect(objects.filter((o) => OPTIONAL_KINDS.includes(o.kind)).map((o) => o.kind)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'ConfigMap')).toEqual([]);
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name).sort()).toEqual(['boltbudgets.boltbudget.io', 'neo4jinstances.boltbudget.io']);
    for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
      expect((crd.metadata as { annotations?: Record<string, string> }).annotations?.['helm.sh/resource-policy']).toBe('keep');
    }
    findObject(objects, 'Service', 'boltbudget-metrics');

    const deployment = findObject(objects, 'Deployment', 'boltbudget') as unknown as { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(2);
    const pod = podSpecOf(objects);
    const [container] = pod.containers;
    expect(container?.image).toBe(`ghcr.io/boltbudget/operator:${(parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { appVersion: string }).appVersion}`);
    expect(container?.args).toEqual([
      '--metrics-bind-address=:8080',
      '--leader-elect',
      '--leader-election-namespace=$(POD_NAMESPACE)',
      `--secret-namespaces=${namespace}`,
      `--event-namespace=${namespace}`,
      '--log-level=info',
      '--resync-seconds=300',
      '--workers=4',
    ]);
    expect(container?.env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    expect(container?.env).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=160' });
    expect(container?.ports).toEqual([{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
    expect([container?.startupProbe.httpGet.path, container?.readinessProbe.httpGet.path, container?.livenessProbe.httpGet.path]).toEqual(['/readyz', '/readyz', '/healthz']);
    expect(container?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe('boltbudget-operator');
    // The operator's own shutdown deadline is 10 s (src/main.ts).
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(15);
  });

  it('renders every optional part when asked, with the values passed through', async () => {
    const { objects } = await renderChart(release, namespace, { valuesFiles: [allOnValues] });
    for (const kind of OPTIONAL_KINDS) findObject(objects, kind);
    const dashboard = findObject(objects, 'ConfigMap', 'boltbudget-dashboard') as unknown as { metadata: { labels: Record<string, string> } };
    expect(dashboard.metadata.labels.grafana_dashboard).toBe('1');
    const monitor = findObject(objects, 'ServiceMonitor') as unknown as { metadata: { labels: Record<string, string> } };
    expect(monitor.metadata.labels.release).toBe('prometheus');
    const args = podSpecOf(objects).containers[0]?.args ?? [];
    expect(args).toContain('--namespaces=team-a,team-b');
    expect(args).toContain('--secret-namespaces=boltbudget-secrets,team-a');
    expect(args).toContain('--event-namespace=boltbudget-events');
    expect(args).toContain('--log-level=debug');
    const policy = findObject(objects, 'NetworkPolicy') as unknown as { spec: { ingress: { ports: { port: number }[]; from: unknown[] }[] } };
    expect(policy.spec.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }], from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }]);
  });

  it.each([
    ['the defaults', [] as string[]],
    ['every optional part on', [allOnValues]],
  ])('renders objects the API server accepts in a server-side dry-run apply: %s', async (_what, valuesFiles) => {
    const { text, objects } = await renderChart(release, namespace, { valuesFiles });
    const output = await kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=chart-render-test', '-f', '-'], text);
    // One "serverside-applied (server dry run)" line per object: nothing skipped.
    const applied = output.split('\n').filter((line) => line.includes('(server dry run)'));
    expect(applied).toHaveLength(objects.length);
    expect(objects.length).toBeGreaterThan(4);
  });

  it('leaves the CRDs out with crds.install=false and drops the keep policy with crds.keep=false', async () => {
    const without = await renderChart(release, namespace, { set: ['crds.install=false'] });
    expect(without.objects.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
    const notKept = await renderChart(release, namespace, { set: ['crds.keep=false'] });
    const crds = notKept.objects.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds).toHaveLength(2);
    for (const crd of crds) expect((crd.metadata as { annotations?: Record<string, string> }).annotations?.['helm.sh/resource-policy']).toBeUndefined();
  });

  it('refuses several replicas without leader election, naming the setting', async () => {
    const message = await failureOf(renderChart(release, namespace, { set: ['leaderElection.enabled=false'] }));
    expect(message).toContain('replicaCount > 1 needs leaderElection.enabled');
    const single = await renderChart(release, namespace, { set: ['leaderElection.enabled=false', 'replicaCount=1'] });
    expect(podSpecOf(single.objects).containers[0]?.args).not.toContain('--leader-elect');
  });
});

describe('values.schema.json', () => {
  const render = (set: string[]): Promise<unknown> => renderChart('boltbudget', 'boltbudget-system', { set });

  it('rejects a wrong type, naming the key', async () => {
    const message = await failureOf(render(['replicaCount=two']));
    expect(message).toContain('values don\'t meet the specifications of the schema');
    expect(message).toContain('replicaCount');
    const nested = await failureOf(render(['metrics.port=eighty']));
    expect(nested).toContain('/metrics/port');
  });

  it('rejects an unknown key at the top and inside an object, naming it', async () => {
    const top = await failureOf(render(['replicaCont=3']));
    expect(top).toMatch(/additional propert.*replicaCont/);
    const nested = await failureOf(render(['image.tagg=1.0']));
    expect(nested).toMatch(/additional propert.*tagg/);
  });

  it('rejects values outside their range or enum', async () => {
    expect(await failureOf(render(['logLevel=verbose']))).toContain('logLevel');
    expect(await failureOf(render(['workers=0']))).toContain('workers');
    expect(await failureOf(render(['watchNamespaces[0]=Not_A_Namespace']))).toContain('watchNamespaces');
  });

  it('leaves global open for use as a subchart', async () => {
    await expect(render(['global.imageRegistry=registry.example', 'global.anything.nested=1'])).resolves.toBeDefined();
  });
});
