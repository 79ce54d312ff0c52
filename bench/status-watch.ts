import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { keepWatching } from './keep-watching.ts';

interface Watched extends KubernetesObject {
  status?: { observedGeneration?: number; budgets?: number };
}

/** When every expected object's status was first seen reconciled, on a watch of the bench's own. */
export interface StatusWatch {
  /** Resolves with performance.now() of the last object to be seen reconciled. */
  done: Promise<number>;
  reconciled(): number;
  stop(): void;
}

/**
 * Watches a collection and notes the first time each object's status is reconciled (`isReconciled`);
 * `done` resolves once `expected` objects were. A watch, not a polling list: it costs the API server
 * and this machine's two cores next to nothing while the operator works.
 */
export async function watchStatuses(kc: KubeConfig, path: string, expected: number, isReconciled: (object: Watched) => boolean): Promise<StatusWatch> {
  const seen = new Set<string>();
  let finish: (at: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  if (expected === 0) finish(performance.now());
  const stop = await keepWatching(kc, path, (object: Watched) => {
    const key = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    if (seen.has(key) || !isReconciled(object)) return;
    seen.add(key);
    if (seen.size === expected) finish(performance.now());
  });
  return {
    done,
    reconciled: () => seen.size,
    stop,
  };
}

/** status.observedGeneration caught up with the spec. */
export const generationObserved = (object: Watched): boolean => object.status?.observedGeneration !== undefined && object.status.observedGeneration === object.metadata?.generation;
