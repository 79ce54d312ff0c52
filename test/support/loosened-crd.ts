import { ApiextensionsV1Api, KubernetesObjectApi, PatchStrategy, loadYaml, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { boltBudgetCrd, neo4jInstanceCrd } from '../../src/api/crd/definitions.ts';
import { eventually } from './eventually.ts';
import { testKubeConfig } from './kube.ts';

type Crd = ReturnType<typeof boltBudgetCrd>;

/**
 * Applies the CRD with a spec schema that takes anything: what an object stored under an older, looser
 * schema looks like. Resolves once the API server serves the loosened schema. Tests that call this put
 * the real CRDs back in their afterAll (installCrds).
 */
async function loosenSpecSchema(crd: Crd): Promise<void> {
  const version = crd.spec.versions[0]!;
  const properties = version.schema.openAPIV3Schema.properties as Record<string, unknown>;
  properties.spec = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const model = loadYaml<V1CustomResourceDefinition>(JSON.stringify(crd));
  await KubernetesObjectApi.makeApiClient(testKubeConfig()).patch(model, undefined, undefined, 'boltbudget-harness', true, PatchStrategy.ServerSideApply);
  const extensions = testKubeConfig().makeApiClient(ApiextensionsV1Api);
  await eventually(async () => {
    const live = await extensions.readCustomResourceDefinition({ name: crd.metadata.name });
    expect(live.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec?.x_kubernetes_preserve_unknown_fields).toBe(true);
  });
}

/** The BoltBudget CRD with a spec schema that takes anything. */
export function loosenBudgetSchema(): Promise<void> {
  return loosenSpecSchema(boltBudgetCrd());
}

/** The Neo4jInstance CRD with a spec schema that takes anything. */
export function loosenInstanceSchema(): Promise<void> {
  return loosenSpecSchema(neo4jInstanceCrd());
}
