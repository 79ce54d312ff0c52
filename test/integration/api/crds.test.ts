import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiextensionsV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { allCrds } from '../../../src/api/crd/definitions.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { objectApi, rejectionOf, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { applyAll, deleteAll, readManifest } from '../../../local/manifests.ts';

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

type SchemaNode = { properties?: Record<string, SchemaNode>; items?: SchemaNode; required?: string[] } & Record<string, unknown>;
const CONSTRAINTS = ['minimum', 'maximum', 'pattern', 'enum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'x-kubernetes-validations'];

/** The field paths (spec.workloads[].poolSize) that carry a constraint or are required. */
function constrainedFields(node: SchemaNode, path: string, required: boolean): string[] {
  const own = required || CONSTRAINTS.some((key) => key in node) ? [path] : [];
  const children = Object.entries(node.properties ?? {}).flatMap(([name, child]) => constrainedFields(child, `${path}.${name}`, (node.required ?? []).includes(name)));
  return [...own, ...children, ...(node.items ? constrainedFields(node.items, `${path}[]`, false) : [])];
}

/** The field paths an expected message names: spec\.workloads\[0\]\.poolSize -> spec.workloads[].poolSize. */
function fieldsNamedBy(expected: RegExp): Set<string> {
  const text = expected.source.replace(/\\\[\d+\\\]/g, '[]').replace(/\\/g, '');
  const named = new Set<string>();
  for (const match of text.matchAll(/spec(?:\.[A-Za-z]+|\[\])*/g)) named.add(match[0]);
  return named;
}

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

    it('holds the seed scenario (ten services of pool 20 on a limit of 300), a multi-namespace case and an HPA case', () => {
      const manifests = files.map((file) => readManifest(join(examplesDir, file)) as (KubernetesObject & { spec?: Record<string, unknown> })[]);
      const budgetsOf = (objects: (KubernetesObject & { spec?: Record<string, unknown> })[]): { namespace: string; instance: unknown; workloads: { name: string; poolSize: number }[] }[] =>
        objects
          .filter((o) => o.kind === 'BoltBudget')
          .map((o) => ({ namespace: o.metadata?.namespace ?? '', instance: (o.spec?.instanceRef as { name?: string } | undefined)?.name, workloads: (o.spec?.workloads ?? []) as { name: string; poolSize: number }[] }));
      const seed = manifests.some((objects) => {
        const instance = objects.find((o) => o.kind === 'Neo4jInstance');
        const workloads = budgetsOf(objects).flatMap((b) => b.workloads);
        return instance?.spec?.connectionLimit === 300 && workloads.length === 10 && workloads.every((w) => w.poolSize === 20);
      });
      const multiNamespace = manifests.some((objects) => {
        const budgets = budgetsOf(objects);
        return new Set(budgets.map((b) => b.namespace)).size >= 2 && new Set(budgets.map((b) => b.instance)).size === 1;
      });
      const hpa = manifests.some((objects) => {
        const listed = new Set(budgetsOf(objects).flatMap((b) => b.workloads.map((w) => w.name)));
        return objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && listed.has(String((o.spec?.scaleTargetRef as { name?: string } | undefined)?.name)));
      });
      expect({ seed, multiNamespace, hpa }).toEqual({ seed: true, multiNamespace: true, hpa: true });
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
    ['an instanceRef that is no object name', budget({ instanceRef: { name: 'Prod_Graph' }, workloads: [workload()] }), /spec\.instanceRef\.name: Invalid value/],
    ['a priority over a million', budget({ instanceRef: { name: 'g' }, workloads: [workload({ priority: 1_000_001 })] }), /spec\.workloads\[0\]\.priority: Invalid value/],
    ['a budget without spec', { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name: uniqueName('budget'), namespace: 'default' } }, /spec: Required value/],
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
    ['a secret namespace that is no namespace name', instance({ connectionLimit: 300, bolt: bolt({ credentialsSecretRef: { namespace: 'Ops!', name: 'monitor' } }) }), /spec\.bolt\.credentialsSecretRef\.namespace: Invalid value/],
    ['a secret name that is no object name', instance({ connectionLimit: 300, bolt: bolt({ credentialsSecretRef: { namespace: 'ops', name: 'Monitor_1' } }) }), /spec\.bolt\.credentialsSecretRef\.name: Invalid value/],
    ['bolt without a credentials secret', instance({ connectionLimit: 300, bolt: { uri: 'bolt://127.0.0.1:7687' } }), /spec\.bolt\.credentialsSecretRef: Required value/],
    ['leak growth of zero', instance({ connectionLimit: 300, leakGrowthPercentPerHour: 0 }), /spec\.leakGrowthPercentPerHour.*greater than or equal to 1/],
    ['no spec at all', { apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name: uniqueName('graph') } }, /spec: Required value/],
  ];

  it('has a rejection case for every constrained field of both CRDs (ranges, patterns, enums, sizes, rules, required)', () => {
    // A field the schema constrains without a case here is a rule nobody checks on the real API server.
    const uncovered: string[] = [];
    for (const crd of allCrds()) {
      const version = crd.spec.versions[0];
      const spec = (version?.schema.openAPIV3Schema.properties as Record<string, SchemaNode> | undefined)?.spec;
      const fields = spec ? constrainedFields(spec, 'spec', true) : [];
      const named = invalid.filter(([, object]) => object.kind === crd.spec.names.kind).map(([, , expected]) => fieldsNamedBy(expected));
      for (const field of fields) if (!named.some((set) => set.has(field))) uncovered.push(`${crd.spec.names.kind} ${field}`);
    }
    expect(uncovered).toEqual([]);
  });

  it.each(invalid)('rejects %s with a message naming the field', async (_what, object, expected) => {
    const rejection = await rejectionOf(api, object);
    expect(rejection, 'the API server accepted it').toBeDefined();
    expect(rejection?.code).toBe(422);
    expect(rejection?.message).toMatch(expected);
  });
});
