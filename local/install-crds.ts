import { ApiextensionsV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, loadYaml, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { allCrds } from '../src/api/crd/definitions.ts';

/** Server-side applies the project's CRDs and waits until the API server reports them Established. */
export async function installCrds(kubeconfigPath: string, timeoutMs = 30_000): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const crds = allCrds();
  for (const crd of crds) {
    // The client serialises known kinds through its typed models (`default` is `_default` there, the
    // x-kubernetes-* keys are camelCase), so a plain object is first turned into that model.
    const model = loadYaml<V1CustomResourceDefinition>(JSON.stringify(crd));
    await objects.patch(model, undefined, undefined, 'boltbudget-harness', true, PatchStrategy.ServerSideApply);
  }
  const extensions = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (;;) {
      const live = await extensions.readCustomResourceDefinition({ name: crd.metadata.name });
      if (live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not Established after ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}
