import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { BOLT_BUDGET, GROUP, VERSION } from '../api/group.ts';
import { explainRefusal } from './api-error.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Sets a budget's finalizers; the resourceVersion makes it fail with 409 if the object moved on meanwhile. */
export type FinalizerWriter = (namespace: string, name: string, finalizers: string[], resourceVersion: string) => Promise<void>;

export function createFinalizerWriter(kc: KubeConfig): FinalizerWriter {
  const custom = kc.makeApiClient(CustomObjectsApi);
  return async (namespace, name, finalizers, resourceVersion) => {
    await explainRefusal(
      `set the finalizers of BoltBudget ${namespace}/${name}`,
      custom.patchNamespacedCustomObject(
        { group: GROUP, version: VERSION, namespace, plural: BOLT_BUDGET.plural, name, body: { metadata: { finalizers, resourceVersion } } },
        mergePatch,
      ),
    );
  };
}
