import type { KubernetesObject } from '@kubernetes/client-node';
import type { ReadCache } from '../../k8s/watched-cache.ts';

/** A read cache over a fixed set of objects: what the operator's informers would hold for the same objects. */
export class MemoryCache<T extends KubernetesObject> implements ReadCache<T> {
  private readonly objects: readonly T[];
  private readonly byKey = new Map<string, T>();

  constructor(objects: readonly T[]) {
    this.objects = objects;
    for (const object of objects) this.byKey.set(`${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`, object);
  }

  get(name: string, namespace?: string): Readonly<T> | undefined {
    return this.byKey.get(`${namespace ?? ''}/${name}`);
  }

  list(namespace?: string): readonly Readonly<T>[] {
    return namespace === undefined ? this.objects : this.objects.filter((object) => object.metadata?.namespace === namespace);
  }
}
