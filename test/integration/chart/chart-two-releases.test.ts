// Two releases of the chart in one cluster (docs/install.md, "A second release"): the same release name
// in two namespaces, disjoint watchNamespaces, the second without the CRDs the first owns. Installed into
// the real API server, which refuses any object name one release would take from the other.
import { ApiException, AdmissionregistrationV1Api, ApiextensionsV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { chartDir, failureOf, helm, kubectl } from '../../support/helm.ts';
import { testKubeConfig, uniqueName } from '../../support/kube.ts';

describe('two releases of the chart side by side', () => {
  const kc = testKubeConfig();
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const admission = kc.makeApiClient(AdmissionregistrationV1Api);
  const extensions = kc.makeApiClient(ApiextensionsV1Api);
  const release = uniqueName('twin');
  const fullname = `${release}-boltbudget`;
  const [first, second] = [uniqueName('twin-a'), uniqueName('twin-b')];
  const [watchedA, watchedB] = [uniqueName('team-a'), uniqueName('team-b')];
  const sharedSecrets = uniqueName('twin-secrets');
  // Both reach into one Secret namespace: the worst overlap the chart has to survive.
  const values = (watched: string): string[] => ['--set', `watchNamespaces={${watched}}`, '--set', `secretNamespaces={${sharedSecrets}}`, '--set', 'admissionGuard.enabled=true'];

  afterAll(async () => {
    for (const namespace of [first, second]) await helm(['uninstall', release, '--namespace', namespace, '--ignore-not-found']).catch(() => undefined);
    await kubectl(['delete', 'namespace', '--wait=false', '--ignore-not-found', first, second, watchedA, watchedB, sharedSecrets]);
  });

  it('installs a second release of the same name in another namespace once it leaves the CRDs to the first', async () => {
    await kubectl(['create', 'namespace', sharedSecrets]);
    for (const namespace of [watchedA, watchedB]) await kubectl(['create', 'namespace', namespace]);
    // The integration setup applied the CRDs with kubectl: the first release adopts them (docs/upgrade.md).
    expect(await helm(['install', release, chartDir, '--namespace', first, '--create-namespace', '--take-ownership', ...values(watchedA)])).toContain('STATUS: deployed');

    // With the default crds.install=true the second release would take the first one's CRDs: helm refuses.
    const refused = await failureOf(helm(['install', release, chartDir, '--namespace', second, '--create-namespace', ...values(watchedB)]));
    expect(refused).toMatch(new RegExp(`CustomResourceDefinition "(neo4jinstances|boltbudgets)\\.boltbudget\\.io".* exists and cannot be imported into the current release: .*release-namespace" must equal "${second}": current value is "${first}"`));
    // helm install leaves a failed release behind; remove it before the real attempt.
    await helm(['uninstall', release, '--namespace', second, '--ignore-not-found']);

    // Without the CRDs every other object of the second release is its own: nothing is refused.
    const output = await helm(['install', release, chartDir, '--namespace', second, '--create-namespace', '--set', 'crds.install=false', ...values(watchedB)]);
    expect(output).toContain('STATUS: deployed');
    for (const name of ['neo4jinstances.boltbudget.io', 'boltbudgets.boltbudget.io']) {
      const crd = await extensions.readCustomResourceDefinition({ name });
      expect(crd.metadata?.annotations?.['meta.helm.sh/release-namespace']).toBe(first);
    }
  });

  it('gives each release its own cluster-scoped objects, each binding its own service account', async () => {
    for (const namespace of [first, second]) {
      const binding = await rbac.readClusterRoleBinding({ name: `${fullname}.${namespace}` });
      expect(binding.roleRef.name).toBe(`${fullname}.${namespace}`);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: `${fullname}-operator`, namespace }]);
      expect(binding.metadata?.annotations?.['meta.helm.sh/release-namespace']).toBe(namespace);
      await rbac.readClusterRole({ name: `${fullname}-namespaced.${namespace}` });
      const policy = await admission.readValidatingAdmissionPolicy({ name: `${fullname}-scale-guard.${namespace}` });
      expect(JSON.stringify(policy.spec?.matchConditions)).toContain(`system:serviceaccount:${namespace}:${fullname}-operator`);
      // Both in the shared Secret namespace, under names of their own.
      const secrets = await rbac.readNamespacedRoleBinding({ name: `${fullname}-secrets.${namespace}`, namespace: sharedSecrets });
      expect(secrets.subjects).toEqual([{ kind: 'ServiceAccount', name: `${fullname}-operator`, namespace }]);
    }
    // Each guard holds only where its own operator works, so neither holds the other operator's writes.
    const guards = await Promise.all([first, second].map((namespace) => admission.readValidatingAdmissionPolicyBinding({ name: `${fullname}-scale-guard.${namespace}` })));
    expect(guards.map((guard) => guard.spec?.matchResources?.namespaceSelector?.matchExpressions)).toEqual([
      [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [watchedA] }],
      [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [watchedB] }],
    ]);
  });

  it('uninstalls one release without touching the other', async () => {
    expect(await helm(['uninstall', release, '--namespace', second])).toContain(`release "${release}" uninstalled`);
    const gone = await rbac.readClusterRoleBinding({ name: `${fullname}.${second}` }).then(
      () => 'still there',
      (error: unknown) => (error instanceof ApiException ? error.code : error),
    );
    expect(gone).toBe(404);
    const kept = await rbac.readClusterRoleBinding({ name: `${fullname}.${first}` });
    expect(kept.subjects?.[0]?.namespace).toBe(first);
    await rbac.readNamespacedRoleBinding({ name: `${fullname}-secrets.${first}`, namespace: sharedSecrets });
    expect(await helm(['status', release, '--namespace', first])).toContain('STATUS: deployed');
  });
});
