import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { WatchedCache } from '../../k8s/watched-cache.ts';
import type { ClusterObjects, StatusSource, StatusSources } from './sources.ts';

/** The five resources kept current by list+watch; `objects()` is a plain snapshot of what is cached now. */
export interface WatchedObjects {
  objects(): ClusterObjects;
  /** Resolves once every resource has been listed. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A logger that turns the caches' "watch failed; restarting it" warnings into one plain stderr line
 * each (resource, the secret-free error the cache describes, and the backoff), for a person to see.
 */
function warningLogger(warn: (line: string) => void): Logger {
  return pino(
    { level: 'warn', base: null, timestamp: false },
    {
      write(chunk: string): void {
        const entry = JSON.parse(chunk) as { msg?: string; resource?: string; err?: string; retryInMs?: number };
        warn(`${entry.msg ?? 'watch problem'}: ${entry.resource ?? ''}${entry.err ? ` (${entry.err})` : ''}${entry.retryInMs === undefined ? '' : `, next try in ${entry.retryInMs} ms`}`);
      },
    },
  );
}

/**
 * Watches the same five reads `status` lists once, through the operator's own WatchedCache: a list,
 * then a watch from its resourceVersion, restarted with backoff when it fails and relisted when the
 * resourceVersion has expired. `onChange` runs after every add, update or delete.
 */
export function watchObjects(kc: KubeConfig, sources: StatusSources, onChange: () => void, warn: (line: string) => void): WatchedObjects {
  const log = warningLogger(warn);
  const cache = <T extends KubernetesObject>(source: StatusSource<T>): WatchedCache<T> => {
    const watched = new WatchedCache<T>(source.what.resource, kc, [{ path: source.path, list: source.list }], log);
    watched.onChange(onChange);
    return watched;
  };
  const caches = {
    instances: cache(sources.instances),
    budgets: cache(sources.budgets),
    deployments: cache(sources.deployments),
    statefulSets: cache(sources.statefulSets),
    autoscalers: cache(sources.autoscalers),
  };
  const all = Object.values(caches) as WatchedCache<KubernetesObject>[];
  return {
    objects: () => ({
      instances: caches.instances.list(),
      budgets: caches.budgets.list(),
      deployments: caches.deployments.list(),
      statefulSets: caches.statefulSets.list(),
      autoscalers: caches.autoscalers.list(),
    }),
    start: async () => {
      await Promise.all(all.map((c) => c.start()));
    },
    stop: async () => {
      await Promise.all(all.map((c) => c.stop()));
    },
  };
}
