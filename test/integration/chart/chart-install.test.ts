// helm install, upgrade and uninstall against the real API server, and the chart's pod judged by the API
// server's own PodSecurity admission at the restricted level.
import { ApiException, AppsV1Api, CoreV1Api, CustomObjectsApi, ApiextensionsV1Api, type V1Pod, type V1PodSpec } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartDir, failureOf, helm, kubectl } from '../../support/helm.ts';
import { testKubeConfig, uniqueName } from '../../support/kube.ts';

const CRDS = ['neo4jinstances.boltbudget.io', 'boltbudgets.boltbudget.io'];

describe('helm install, upgrade and uninstall of the chart', () => {
  const kc = testKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const extensions = kc.makeApiClient(ApiextensionsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const release = uniqueName('bb');
  const namespace = uniqueName('chart-install');
  const restricted = uniqueName('restricted');
  const budgets = uniqueName('chart-budgets');
  const fullname = `${release}-boltbudget`;

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: restricted, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } } } });
    await core.createNamespace({ body: { metadata: { name: budgets } } });
  });

  afterAll(async () => {
    await helm(['uninstall', release, '--namespace', namespace, '--ignore-not-found']).catch(() => undefined);
    await kubectl(['delete', 'namespace', '--wait=false', '--ignore-not-found', namespace, restricted, budgets]);
  });

  it('installs into its own namespace (no kubelet here, so without --wait) and creates its objects', async () => {
    // The integration setup applied the CRDs with server-side apply, as a plain-kubectl user would have:
    // helm refuses to adopt them, naming them, and --take-ownership lets the release adopt them (docs/upgrade.md).
    const refused = await failureOf(helm(['install', `${release}-refused`, chartDir, '--namespace', namespace, '--create-namespace']));
    expect(refused).toMatch(/CustomResourceDefinition "(neo4jinstances|boltbudgets)\.boltbudget\.io".* exists and cannot be imported into the current release/);
    const output = await helm(['install', release, chartDir, '--namespace', namespace, '--create-namespace', '--take-ownership']);
    expect(output).toContain('STATUS: deployed');

    const deployment = await apps.readNamespacedDeployment({ name: fullname, namespace });
    expect(deployment.spec?.replicas).toBe(2);
    await core.readNamespacedService({ name: `${fullname}-metrics`, namespace });
    await core.readNamespacedServiceAccount({ name: `${fullname}-operator`, namespace });
    for (const name of CRDS) {
      const crd = await extensions.readCustomResourceDefinition({ name });
      expect(crd.metadata?.annotations?.['meta.helm.sh/release-name']).toBe(release);
      expect(crd.metadata?.annotations?.['helm.sh/resource-policy']).toBe('keep');
      expect(crd.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    }
  });

  it("admits a Pod built from the chart's pod template in a namespace enforcing the restricted Pod Security Standard", async () => {
    const template = (await apps.readNamespacedDeployment({ name: fullname, namespace })).spec!.template;
    const pod = (name: string, spec: V1PodSpec): V1Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: restricted, labels: template.metadata?.labels }, spec });
    const created = await core.createNamespacedPod({ namespace: restricted, body: pod('operator', template.spec!) });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.spec?.securityContext?.runAsNonRoot).toBe(true);

    // The same pod with the container's security context taken away is refused there: PodSecurity decides.
    const loose: V1PodSpec = { ...template.spec!, securityContext: {}, containers: template.spec!.containers.map((c) => ({ ...c, securityContext: { allowPrivilegeEscalation: true } })) };
    const refusal = await core.createNamespacedPod({ namespace: restricted, body: pod('loose', loose) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ApiException);
    expect((refusal as ApiException<string>).code).toBe(403);
    const { message } = JSON.parse(String((refusal as ApiException<string>).body)) as { message: string };
    expect(message).toContain('violates PodSecurity "restricted:latest"');
    expect(message).toContain('allowPrivilegeEscalation != false');
  });

  it('upgrades with new values; the Deployment follows and the CRDs stay owned by the release', async () => {
    const output = await helm(['upgrade', release, chartDir, '--namespace', namespace, '--reuse-values', '--set', 'replicaCount=3', '--set', 'logLevel=debug']);
    expect(output).toContain('REVISION: 2');
    const deployment = await apps.readNamespacedDeployment({ name: fullname, namespace });
    expect(deployment.spec?.replicas).toBe(3);
    expect(deployment.spec?.template.spec?.containers[0]?.args).toContain('--log-level=debug');
    for (const name of CRDS) {
      const crd = await extensions.readCustomResourceDefinition({ name });
      expect(crd.metadata?.annotations?.['meta.helm.sh/release-name']).toBe(release);
    }
  });

  it('uninstalls the release but keeps the CRDs and the budgets in them', async () => {
    await custom.createClusterCustomObject({
      group: 'boltbudget.io',
      version: 'v1alpha1',
      plural: 'neo4jinstances',
      body: { apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name: budgets }, spec: { connectionLimit: 100 } },
    });
    await custom.createNamespacedCustomObject({
      group: 'boltbudget.io',
      version: 'v1alpha1',
      namespace: budgets,
      plural: 'boltbudgets',
      body: { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name: 'kept' }, spec: { instanceRef: { name: budgets }, workloads: [{ kind: 'Deployment', name: 'app', poolSize: 10 }] } },
    });

    const output = await helm(['uninstall', release, '--namespace', namespace]);
    expect(output).toContain(`release "${release}" uninstalled`);
    expect(output).toMatch(/kept due to the resource policy[\s\S]*boltbudgets\.boltbudget\.io/);
    const gone = await apps.readNamespacedDeployment({ name: fullname, namespace }).then(
      () => 'still there',
      (error: unknown) => (error instanceof ApiException ? error.code : error),
    );
    expect(gone).toBe(404);
    for (const name of CRDS) {
      const crd = await extensions.readCustomResourceDefinition({ name });
      expect(crd.metadata?.deletionTimestamp).toBeUndefined();
    }
    const kept: unknown = await custom.getNamespacedCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', namespace: budgets, plural: 'boltbudgets', name: 'kept' });
    expect((kept as { metadata: { name: string } }).metadata.name).toBe('kept');
    await custom.deleteClusterCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', plural: 'neo4jinstances', name: budgets });
  });
});
