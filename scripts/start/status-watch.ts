import { CustomObjectsApi, makeInformer, type Informer, type KubeConfig, type ObjectCache, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { BOLT_BUDGET, GROUP, NEO4J_INSTANCE, VERSION } from '../../src/api/group.ts';
import type { BoltBudgetObject, Neo4jInstanceObject } from '../../src/api/resources.ts';

/** Every Neo4jInstance and BoltBudget as the API server has them now. */
export interface StatusSnapshot {
  instances: Neo4jInstanceObject[];
  budgets: BoltBudgetObject[];
}

export interface StatusWatch {
  snapshot(): StatusSnapshot;
  stop(): Promise<void>;
}

/** An informer's error: it relists and watches again after a short pause instead of giving up. */
const RESTART_MS = 2_000;

/**
 * Lists and then watches both kinds (a watch, not polling: the screen changes when a status does) and
 * calls `onChange` after every event.
 */
export async function watchStatuses(kc: KubeConfig, onChange: (snapshot: StatusSnapshot) => void, onError: (error: unknown) => void): Promise<StatusWatch> {
  const api = kc.makeApiClient(CustomObjectsApi);
  let stopped = false;
  const informerOf = <T extends KubernetesObject>(plural: string): Informer<T> & ObjectCache<T> => {
    const informer = makeInformer<T>(kc, `/apis/${GROUP}/${VERSION}/${plural}`, () => api.listClusterCustomObject({ group: GROUP, version: VERSION, plural }) as Promise<KubernetesListObject<T>>);
    informer.on('error', (error: unknown) => {
      if (stopped) return;
      onError(error);
      setTimeout(() => void (stopped ? undefined : informer.start().catch(onError)), RESTART_MS);
    });
    return informer;
  };
  const instances = informerOf<Neo4jInstanceObject & KubernetesObject>(NEO4J_INSTANCE.plural);
  const budgets = informerOf<BoltBudgetObject & KubernetesObject>(BOLT_BUDGET.plural);
  const snapshot = (): StatusSnapshot => ({ instances: [...instances.list()], budgets: [...budgets.list()] });
  const changed = (): void => onChange(snapshot());
  for (const verb of ['add', 'update', 'delete'] as const) {
    instances.on(verb, changed);
    budgets.on(verb, changed);
  }
  await Promise.all([instances.start(), budgets.start()]);
  return {
    snapshot,
    async stop() {
      stopped = true;
      await Promise.all([instances.stop(), budgets.stop()]);
    },
  };
}
