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
      const annotations = (crd.metadata as { annotations?: Record<string, string> }).annotations;
      expect(annotations?.['helm.sh/resource-policy']).toBe('keep');
      // Argo CD renders with helm template and ignores Helm's policy: its own sync options keep them.
      expect(annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
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
    expect(container?.env).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=96 --max-semi-space-size=2' });
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
    const output = await kubectl(['apply', '--server-side', '--dry-run=server', '--force-conflicts', '--field-manager=chart-render-test', '-f', '-'], text);
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
    for (const crd of crds) expect((crd.metadata as { annotations?: Record<string, string> }).annotations).toBeUndefined();
  });

  it('refuses serviceAccount.create=false without a name instead of falling back to the namespace\'s default account', async () => {
    const message = await failureOf(renderChart(release, namespace, { set: ['serviceAccount.create=false'] }));
    expect(message).toContain('serviceAccount.create=false needs serviceAccount.name');
    expect(message).toContain('"default" account would give every pod there the operator\'s rights');

    // With a name, that account (and no other) is bound, exempt from the guard and runs the pods.
    const named = await renderChart(release, namespace, { set: ['serviceAccount.create=false', 'serviceAccount.name=existing-operator', 'admissionGuard.enabled=true'] });
    expect(named.objects.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
    const binding = findObject(named.objects, 'ClusterRoleBinding') as unknown as { subjects: unknown[] };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'existing-operator', namespace }]);
    const policy = findObject(named.objects, 'ValidatingAdmissionPolicy') as unknown as { spec: { matchConditions: { name: string; expression: string }[] } };
    expect(policy.spec.matchConditions.find((c) => c.name === 'not-the-boltbudget-operator')?.expression).toBe(`request.userInfo.username != 'system:serviceaccount:${namespace}:existing-operator'`);
    expect(podSpecOf(named.objects).serviceAccountName).toBe('existing-operator');
    expect(named.text).not.toContain(`serviceaccount:${namespace}:default`);
    expect(named.text).not.toMatch(/^\s*name: default$/m);
  });

  it('gives two releases of the same name in two namespaces no object in common (the second without CRDs)', async () => {
    // Disjoint watched namespaces, but the same Secret namespace and Grafana namespace: the worst overlap.
    const values = (watched: string): string[] => ['admissionGuard.enabled=true', 'grafanaDashboard.enabled=true', 'grafanaDashboard.namespace=grafana', `watchNamespaces={${watched}}`, 'secretNamespaces={shared-secrets}'];
    const first = await renderChart(release, 'ops-a', { set: values('team-a') });
    const second = await renderChart(release, 'ops-b', { set: [...values('team-b'), 'crds.install=false'] });
    const identity = (o: RenderedObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const firstIds = new Set(first.objects.map(identity));
    expect(second.objects.map(identity).filter((id) => firstIds.has(id))).toEqual([]);
    // Every kind is there in both (the comparison is not empty by accident), the CRDs only in the first.
    const clusterScoped = ['ClusterRole', 'ClusterRoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];
    for (const kind of clusterScoped) {
      expect(first.objects.filter((o) => o.kind === kind).length).toBeGreaterThan(0);
      expect(second.objects.filter((o) => o.kind === kind).length).toBe(first.objects.filter((o) => o.kind === kind).length);
    }
    expect(first.objects.filter((o) => o.kind === 'CustomResourceDefinition')).toHaveLength(2);
    expect(second.objects.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
    expect(findObject(second.objects, 'ClusterRole', 'boltbudget.ops-b').metadata.name).toBe('boltbudget.ops-b');
    // Each guard only where its operator works: the other release's operator is not exempt from it.
    const guard = findObject(second.objects, 'ValidatingAdmissionPolicyBinding') as unknown as { spec: { policyName: string; matchResources: unknown } };
    expect(guard.spec.policyName).toBe('boltbudget-scale-guard.ops-b');
    expect(guard.spec.matchResources).toEqual({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-b'] }] } });
    // Objects in the release's own namespace keep the short name.
    findObject(second.objects, 'Role', 'boltbudget-leader-election');
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
