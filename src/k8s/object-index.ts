import type { KubernetesObject } from '@kubernetes/client-node';

/** The values an object is filed under in one index (client-go's IndexFunc). */
export type IndexFunction<T> = (object: Readonly<T>) => readonly string[];

/**
 * One index of a cache, kept up to date with every add, update and delete, so that a lookup costs the
 * objects it finds, not a scan of the whole cache. Objects are filed by namespace/name.
 */
export class ObjectIndex<T extends KubernetesObject> {
  private readonly valuesOf: IndexFunction<T>;
  /** value -> objects by namespace/name, in the order they were first filed. */
  private readonly byValue = new Map<string, Map<string, Readonly<T>>>();
  /** namespace/name -> the values the object is filed under now. */
  private readonly filed = new Map<string, readonly string[]>();

  constructor(valuesOf: IndexFunction<T>) {
    this.valuesOf = valuesOf;
  }

  /** Files an object under the values it has now (none once deleted), leaving the ones it had. */
  file(object: Readonly<T>, deleted: boolean): void {
    const key = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    const values = deleted ? [] : this.valuesOf(object);
    for (const value of this.filed.get(key) ?? []) {
      if (values.includes(value)) continue;
      const objects = this.byValue.get(value);
      objects?.delete(key);
      if (objects?.size === 0) this.byValue.delete(value);
    }
    for (const value of values) {
      let objects = this.byValue.get(value);
      if (!objects) this.byValue.set(value, (objects = new Map<string, Readonly<T>>()));
      objects.set(key, object);
    }
    if (values.length > 0) this.filed.set(key, values);
    else this.filed.delete(key);
  }

  get(value: string): Readonly<T>[] {
    const objects = this.byValue.get(value);
    return objects ? [...objects.values()] : [];
  }
}
