import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiextensionsV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { objectApi, rejectionOf, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { applyAll, deleteAll, readManifest } from '../../harness/manifests.ts';

const api = objectApi();
const examplesDir = join(import.meta.dirname, '..', '..', '..', 'examples');

type Spec = Record<string, unknown>;
const instance = (spec: Spec, name = uniqueName('graph')): KubernetesObject & { spec: Spec } => ({
  apiVersion: 'boltbudget.io/v1alpha1',
  kind: 'Neo4jInstance',
  metadata: { name },
  spec,
});
const budget = (spec: Spec, namespace = 'default'): KubernetesObject & { spec: Spec } => ({
  apiVersion: 'boltbudget.io/v1alpha1',
  kind: 'BoltBudget',
  metadata: { name: uniqueName('budget'), namespace },
  spec,
});
const workload = (extra: Spec = {}): Spec => ({ kind: 'Deployment', name: 'orders-api', poolSize: 20, ...extra });
const bolt = (extra: Spec = {}): Spec => ({ uri: 'neo4j+s://abcd.databases.neo4j.io', credentialsSecretRef: { namespace: 'ops', name: 'monitor' }, ...extra });

describe('the CRDs on a real API server', () => {
  it('are both Established with the short names and category', async () => {
    const extensions = testKubeConfig().makeApiClient(ApiextensionsV1Api);
    for (const name of ['neo4jinstances.boltbudget.io', 'boltbudgets.boltbudget.io']) {
      const crd = await extensions.readCustomResourceDefinition({ name });
      expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
      expect(crd.status?.acceptedNames?.categories).toEqual(['boltbudget']);
    }
    const n4j = await extensions.readCustomResourceDefinition({ name: 'neo4jinstances.boltbudget.io' });
    expect(n4j.spec.scope).toBe('Cluster');
    expect(n4j.status?.acceptedNames?.shortNames).toEqual(['n4j']);
    const bb = await extensions.readCustomResourceDefinition({ name: 'boltbudgets.boltbudget.io' });
    expect(bb.spec.scope).toBe('Namespaced');
    expect(bb.status?.acceptedNames?.shortNames).toEqual(['bb']);
  });

  describe('examples/', () => {
    const files = readdirSync(examplesDir).filter((file) => file.endsWith('.yaml'));
    const created: KubernetesObject[] = [];
    afterAll(async () => deleteAll(api, created));

    it('holds the seed scenario, a multi-namespace case and an HPA case', () => {
      expect(files.length).toBeGreaterThanOrEqual(3);
    });

    it.each(files)('%s is accepted by the API server', async (file) => {
      const objects = readManifest(join(examplesDir, file));
      expect(objects.some((o) => o.kind === 'BoltBudget')).toBe(true);
      const applied = await applyAll(api, objects);
      created.push(...applied);
      expect(applied.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(objects.map((o) => `${o.kind}/${o.metadata?.name}`));
    });
  });

  it('fills in the defaults', async () => {
    const minimalInstance = instance({ connectionLimit: 300, bolt: { uri: 'bolt://127.0.0.1:7687', credentialsSecretRef: { namespace: 'ops', name: 'monitor' } } });
    const minimalBudget = budget({ instanceRef: { name: 'prod-graph' }, workloads: [workload()] });
    const createdInstance = await api.create(minimalInstance);
    const createdBudget = await api.create(minimalBudget);
    try {
      expect((createdInstance).spec).toEqual({
        connectionLimit: 300,
        bufferPercent: 20,
        warningPercent: 80,
        criticalPercent: 95,
        leakGrowthPercentPerHour: 10,
        bolt: { uri: 'bolt://127.0.0.1:7687', credentialsSecretRef: { namespace: 'ops', name: 'monitor' }, pollIntervalSeconds: 30 },
      });
      expect((createdBudget).spec).toEqual({
        instanceRef: { name: 'prod-graph' },
        enforcement: 'Flag',
        workloads: [{ kind: 'Deployment', name: 'orders-api', poolSize: 20, minReplicas: 1, priority: 0 }],
      });
    } finally {
      await deleteAll(api, [createdInstance, createdBudget]);
    }
  });

  const tooMany = Array.from({ length: 101 }, (_, i) => workload({ name: `w-${i}` }));
  const invalid: [string, KubernetesObject, RegExp][] = [
    ['pool size of zero', budget({ instanceRef: { name: 'g' }, workloads: [workload({ poolSize: 0 })] }), /spec\.workloads\[0\]\.poolSize.*should be greater than or equal to 1/],
    ['pool size over 10000', budget({ instanceRef: { name: 'g' }, workloads: [workload({ poolSize: 10_001 })] }), /spec\.workloads\[0\]\.poolSize.*less than or equal to 10000/],
    ['pool size as a string', budget({ instanceRef: { name: 'g' }, workloads: [workload({ poolSize: '20' })] }), /spec\.workloads\[0\]\.poolSize.*must be of type integer/],
    ['negative replicas', budget({ instanceRef: { name: 'g' }, workloads: [workload({ replicas: -1 })] }), /spec\.workloads\[0\]\.replicas/],
    ['negative minReplicas', budget({ instanceRef: { name: 'g' }, workloads: [workload({ minReplicas: -2 })] }), /spec\.workloads\[0\]\.minReplicas/],
    ['workload name that is no object name', budget({ instanceRef: { name: 'g' }, workloads: [workload({ name: 'Orders_API' })] }), /spec\.workloads\[0\]\.name.*should match/],
    ['duplicate workload', budget({ instanceRef: { name: 'g' }, workloads: [workload(), workload({ poolSize: 5 })] }), /spec\.workloads\[1\]: Duplicate value/],
    ['unknown enforcement', budget({ instanceRef: { name: 'g' }, enforcement: 'Block', workloads: [workload()] }), /spec\.enforcement: Unsupported value: "Block".*"Observe", "Flag", "Scale"/],
    ['unknown workload kind', budget({ instanceRef: { name: 'g' }, workloads: [workload({ kind: 'DaemonSet' })] }), /spec\.workloads\[0\]\.kind: Unsupported value: "DaemonSet"/],
    ['missing instanceRef', budget({ workloads: [workload()] }), /spec\.instanceRef: Required value/],
    ['empty workload list', budget({ instanceRef: { name: 'g' }, workloads: [] }), /spec\.workloads.*should have at least 1 items/],
    ['more than 100 workloads', budget({ instanceRef: { name: 'g' }, workloads: tooMany }), /spec\.workloads.*must have at most 100 items/],
    ['a user agent over 256 characters', budget({ instanceRef: { name: 'g' }, workloads: [workload({ userAgent: 'x'.repeat(257) })] }), /spec\.workloads\[0\]\.userAgent/],
    ['connection limit of zero', instance({ connectionLimit: 0 }), /spec\.connectionLimit.*should be greater than or equal to 1/],
    ['missing connection limit', instance({ bufferPercent: 10 }), /spec\.connectionLimit: Required value/],
    ['buffer over 100 percent', instance({ connectionLimit: 300, bufferPercent: 101 }), /spec\.bufferPercent.*less than or equal to 100/],
    ['negative warning percent', instance({ connectionLimit: 300, warningPercent: -1 }), /spec\.warningPercent.*greater than or equal to 0/],
    ['critical over 100 percent', instance({ connectionLimit: 300, criticalPercent: 101 }), /spec\.criticalPercent.*less than or equal to 100/],
    ['warning above critical', instance({ connectionLimit: 300, warningPercent: 96 }), /spec\.warningPercent: Invalid value: .*spec\.warningPercent must be less than spec\.criticalPercent/],
    ['warning equal to critical', instance({ connectionLimit: 300, warningPercent: 90, criticalPercent: 90 }), /spec\.warningPercent: Invalid value: .*must be less than spec\.criticalPercent/],
    ['a bolt uri with another scheme', instance({ connectionLimit: 300, bolt: bolt({ uri: 'http://graph.example:7474' }) }), /spec\.bolt\.uri.*should match/],
    ['a bolt poll interval under 5 s', instance({ connectionLimit: 300, bolt: bolt({ pollIntervalSeconds: 1 }) }), /spec\.bolt\.pollIntervalSeconds.*greater than or equal to 5/],
    ['bolt without a credentials secret', instance({ connectionLimit: 300, bolt: { uri: 'bolt://127.0.0.1:7687' } }), /spec\.bolt\.credentialsSecretRef: Required value/],
    ['leak growth of zero', instance({ connectionLimit: 300, leakGrowthPercentPerHour: 0 }), /spec\.leakGrowthPercentPerHour.*greater than or equal to 1/],
    ['no spec at all', { apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name: uniqueName('graph') } }, /spec: Required value/],
  ];

  it('holds a corpus of at least 15 invalid objects', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(15);
  });

  it.each(invalid)('rejects %s with a message naming the field', async (_what, object, expected) => {
    const rejection = await rejectionOf(api, object);
    expect(rejection, 'the API server accepted it').toBeDefined();
    expect(rejection?.code).toBe(422);
    expect(rejection?.message).toMatch(expected);
  });
});
