import type { ReadCache } from '../k8s/watched-cache.ts';

/** Budgets by the instance they name. */
export const BY_INSTANCE = 'instance';
/** Workloads and HPAs by namespace/budget of each budget whose record or flag they carry. */
export const BY_TOUCHING_BUDGET = 'touchingBudget';
/** HPAs by namespace/kind/name of their scale target. */
export const BY_SCALE_TARGET = 'scaleTarget';

export const scaleTargetKey = (namespace: string, kind: string, name: string): string => `${namespace}/${kind}/${name}`;

/**
 * An index's objects where the cache keeps it (the operator's caches, cache-indexes.ts); else the cache's
 * objects (of the namespace) that `matches`, as a cache without indexes (the plan command's) answers.
 */
export function lookup<T>(cache: ReadCache<T>, index: string, value: string, namespace: string | undefined, matches: (object: Readonly<T>) => boolean): readonly Readonly<T>[] {
  return cache.byIndex?.(index, value) ?? cache.list(namespace).filter(matches);
}
