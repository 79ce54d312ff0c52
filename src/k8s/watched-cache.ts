import { ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { backoffDelay, failuresInARow } from './backoff.ts';
import { ObjectIndex, type IndexFunction } from './object-index.ts';
import { listInPages } from './paged-list.ts';
import { apiRefusal, formatRefusal, KubeApiError } from './api-error.ts';

/** The read side of a cache: what reconcilers see. Objects in it are shared: never mutate them. */
export interface ReadCache<T> {
  get(name: string, namespace?: string): Readonly<T> | undefined;
  list(namespace?: string): readonly Readonly<T>[];
  /** The objects an index (addIndex) files under `value`; undefined when the cache keeps no such index. */
  byIndex?(index: string, value: string): readonly Readonly<T>[] | undefined;
  /**
   * A number that changes whenever an object of the namespace is added, changed or deleted: what was read
   * from the namespace still holds while it is the same. Undefined for a cache that cannot tell.
   */
  changesIn?(namespace: string): number;
}

export type ChangeKind = 'add' | 'update' | 'delete';
export type ChangeHandler<T> = (object: Readonly<T>, change: ChangeKind) => void;

/** One list+watch: its API path and, optionally, how to list it (else the path is listed in pages). */
export interface WatchSource<T extends KubernetesObject> {
  path: string;
  list?: () => Promise<KubernetesListObject<T>>;
}

/** Cuts an object down to what the operator reads, before it is cached (memory: pod templates, managedFields). */
export type Slimmer<T> = (object: T) => T;

const RESTART_BASE_MS = 250;
const RESTART_CAP_MS = 30_000;
const HEALTHY_AFTER_MS = 10_000;

/**
 * A shared cache of one resource over one or more list+watches (one per watched namespace). The
 * client's informer stops on any error but 410 Gone; this one restarts it with backoff, so the process
 * never silently stops watching, and relists when the resourceVersion has expired.
 */
export class WatchedCache<T extends KubernetesObject> implements ReadCache<T> {
  private readonly watches: ListWatch<T>[];
  private readonly synced: boolean[];
  private readonly failures: number[];
  /** When each watch last started; undefined from a failure until it starts again. */
  private readonly startedAt: (number | undefined)[];
  /** Failures seen per watch, ever: a start during which one arrived did not start. */
  private readonly failuresSeen: number[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly handlers: ChangeHandler<T>[] = [];
  private syncWaiters: (() => void)[] = [];
  private readonly indexes = new Map<string, ObjectIndex<T>>();
  private readonly changesByNamespace = new Map<string, number>();
  readonly resource: string;
  private readonly log: Logger;

  constructor(resource: string, kc: KubeConfig, sources: readonly WatchSource<T>[], log: Logger, slim?: Slimmer<T>) {
    this.resource = resource;
    this.log = log;
    const watch = slim ? slimmingWatch(new Watch(kc), slim) : new Watch(kc);
    const list = (source: WatchSource<T>, index: number): (() => Promise<KubernetesListObject<T>>) => async () => {
      // Without a list function of its own, the path is listed a page at a time, each page slimmed as it comes.
      const result = source.list ? await source.list() : await listInPages(kc, source.path, slim);
      // After the first sync, a list means the watch could not resume (410 Gone: its resourceVersion expired,
      // or a restart found none): the informer diffs it against the cache and emits what changed meanwhile.
      if (this.synced[index]) this.log.info({ resource: this.resource, path: source.path, items: result.items.length }, 'relisted after the watch could not resume');
      // In place: no second array of the whole list.
      if (source.list && slim) result.items.forEach((item, i) => (result.items[i] = slim(item)));
      return result;
    };
    this.watches = sources.map((source, index) => new ListWatch<T>(source.path, watch, list(source, index), false));
    this.synced = sources.map(() => false);
    this.failures = sources.map(() => 0);
    this.startedAt = sources.map(() => undefined);
    this.failuresSeen = sources.map(() => 0);
    this.watches.forEach((informer, index) => {
      informer.on('add', (object) => this.emit(object, 'add'));
      informer.on('update', (object) => this.emit(object, 'update'));
      informer.on('delete', (object) => this.emit(object, 'delete'));
      informer.on('error', (error: unknown) => this.restartLater(index, error));
    });
  }

  onChange(handler: ChangeHandler<T>): void {
    this.handlers.push(handler);
  }

  /** Keeps an index up to date with every change (src/k8s/object-index.ts), filing what is cached already. */
  addIndex(name: string, valuesOf: IndexFunction<T>): void {
    const index = new ObjectIndex<T>(valuesOf);
    this.indexes.set(name, index);
    for (const object of this.list()) index.file(object, false);
  }

  byIndex(name: string, value: string): readonly Readonly<T>[] | undefined {
    return this.indexes.get(name)?.get(value);
  }

  changesIn(namespace: string): number {
    return this.changesByNamespace.get(namespace) ?? 0;
  }

  get(name: string, namespace?: string): Readonly<T> | undefined {
    for (const informer of this.watches) {
      const found = informer.get(name, namespace);
      if (found) return found;
    }
    return undefined;
  }

  list(namespace?: string): readonly Readonly<T>[] {
    return this.watches.length === 1 ? (this.watches[0] as ListWatch<T>).list(namespace) : this.watches.flatMap((informer) => informer.list(namespace));
  }

  isSynced(): boolean {
    return this.synced.every(Boolean);
  }

  /** Starts every list+watch; resolves once each has listed successfully (retrying failures). */
  async start(): Promise<void> {
    this.stopped = false;
    await Promise.all(this.watches.map((_, index) => this.startOne(index)));
    if (this.isSynced()) return;
    await new Promise<void>((resolve) => this.syncWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.watches.map((informer) => informer.stop()));
    for (const resolve of this.syncWaiters) resolve();
    this.syncWaiters = [];
  }

  private async startOne(index: number): Promise<void> {
    const informer = this.watches[index] as ListWatch<T>;
    const failuresBefore = this.failuresSeen[index];
    await informer.start();
    // The informer reports a failed list or watch request as an error (restartLater retries it), not by throwing.
    if (informer.latestResourceVersion() === '' || this.failuresSeen[index] !== failuresBefore) return;
    this.startedAt[index] = Date.now();
    if (!this.synced[index]) {
      this.synced[index] = true;
      this.log.debug({ resource: this.resource }, 'cache synced');
      if (this.isSynced()) {
        for (const resolve of this.syncWaiters) resolve();
        this.syncWaiters = [];
      }
    }
  }

  private restartLater(index: number, error: unknown): void {
    if (this.stopped) return;
    // A watch that stayed up a while starts its backoff afresh; one that fails right away, or never
    // started (a list refused at every try), backs off further.
    this.failuresSeen[index] = (this.failuresSeen[index] ?? 0) + 1;
    const failures = failuresInARow(this.failures[index] ?? 0, this.startedAt[index], Date.now(), HEALTHY_AFTER_MS);
    this.failures[index] = failures;
    this.startedAt[index] = undefined;
    const delay = backoffDelay(failures, RESTART_BASE_MS, RESTART_CAP_MS);
    this.log.warn({ resource: this.resource, err: describeError(error), retryInMs: delay }, 'watch failed; restarting it');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.startOne(index).catch((restartError: unknown) => this.restartLater(index, restartError));
    }, delay);
    this.timers.add(timer);
  }

  private emit(object: T, change: ChangeKind): void {
    const namespace = object.metadata?.namespace ?? '';
    this.changesByNamespace.set(namespace, this.changesIn(namespace) + 1);
    for (const index of this.indexes.values()) index.file(object, change === 'delete');
    for (const handler of this.handlers) handler(object, change);
  }
}

/** A Watch whose events carry slimmed objects, so that the informer caches only those. */
function slimmingWatch<T>(watch: Watch, slim: Slimmer<T>): Watch {
  const slimming = Object.create(watch) as Watch;
  slimming.watch = (path, queryParams, callback, done) =>
    watch.watch(path, queryParams, (phase, object: T, raw: unknown) => callback(phase, phase === 'ERROR' || phase === 'BOOKMARK' ? object : slim(object), raw), done);
  return slimming;
}

/**
 * A short, secret-free description of a client error: for a refusal, the API server's code, reason and
 * message (an admission policy's denial says which policy and why); else the code and first line.
 */
export function describeError(error: unknown): string {
  if (error instanceof KubeApiError) return error.message.split('\n')[0] ?? '';
  const refusal = apiRefusal(error);
  if (refusal) return formatRefusal(refusal);
  if (error instanceof Error) {
    const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
    const firstLine = error.message.split('\n')[0] ?? '';
    // A watch that the API server refuses fails with the HTTP status text and a statusCode.
    const tag = typeof code === 'number' || typeof code === 'string' ? code : typeof statusCode === 'number' ? statusCode : undefined;
    return tag === undefined ? firstLine : `${tag}: ${firstLine}`;
  }
  return typeof error === 'string' ? error : 'unknown error';
}
