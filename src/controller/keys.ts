/** Work-queue keys: one per object, level-based (what changed is re-read, never carried in the key). */
export type ObjectKey = { kind: 'instance'; name: string } | { kind: 'budget'; namespace: string; name: string };

export const instanceKey = (name: string): string => `instance/${name}`;
export const budgetQueueKey = (namespace: string, name: string): string => `budget/${namespace}/${name}`;

export function parseKey(key: string): ObjectKey {
  const [kind, first, second] = key.split('/');
  if (kind === 'instance' && first) return { kind, name: first };
  if (kind === 'budget' && first && second) return { kind, namespace: first, name: second };
  throw new Error(`not a work-queue key: ${key}`);
}
