import type { KubernetesObject } from '@kubernetes/client-node';
import type { ReadCache } from '../../k8s/watched-cache.ts';

interface Bucket<T> {
  list: T[];
  byName: Map<string, T>;
}

/**
 * A read cache over a fixed set of objects: what the operator's informers would hold for the same objects,
 * indexed by namespace (the gather lists a namespace's HPAs and workloads once per budget and workload).
 */
export class MemoryCache<T extends KubernetesObject> implements ReadCache<T> {
  private readonly objects: readonly T[];
  private readonly namespaces = new Map<string, Bucket<T>>();

  constructor(objects: readonly T[]) {
    this.objects = objects;
    for (const object of objects) {
      const namespace = object.metadata?.namespace ?? '';
      let bucket = this.namespaces.get(namespace);
      if (!bucket) this.namespaces.set(namespace, (bucket = { list: [], byName: new Map() }));
      bucket.list.push(object);
      bucket.byName.set(object.metadata?.name ?? '', object);
    }
  }

  get(name: string, namespace?: string): Readonly<T> | undefined {
    return this.namespaces.get(namespace ?? '')?.byName.get(name);
  }

  list(namespace?: string): readonly Readonly<T>[] {
    return namespace === undefined ? this.objects : (this.namespaces.get(namespace)?.list ?? []);
  }
}
