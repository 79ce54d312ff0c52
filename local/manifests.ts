import { readFileSync } from 'node:fs';
import { PatchStrategy, loadAllYaml, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';

/**
 * The objects of a multi-document YAML file, in file order, as the client's typed models (the client
 * serialises known kinds through them, so plain objects would lose fields such as `_default`).
 */
export function readManifest(path: string): KubernetesObject[] {
  return (loadAllYaml(readFileSync(path, 'utf8')) as (KubernetesObject | null)[]).filter((object): object is KubernetesObject => object !== null);
}

/** Server-side applies objects in order, as `kubectl apply --server-side` would. */
export async function applyAll(api: KubernetesObjectApi, objects: KubernetesObject[], fieldManager = 'boltbudget-tests'): Promise<KubernetesObject[]> {
  const applied: KubernetesObject[] = [];
  for (const object of objects) applied.push(await api.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply));
  return applied;
}

/** Deletes objects in reverse order, ignoring those already gone. */
export async function deleteAll(api: KubernetesObjectApi, objects: KubernetesObject[]): Promise<void> {
  for (const object of [...objects].reverse()) {
    await api.delete(object).catch((error: unknown) => {
      if ((error as { code?: number }).code !== 404) throw error;
    });
  }
}
