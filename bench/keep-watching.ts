import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

/**
 * Watches a path until stopped. The client ends a watch after 30 s without an event, and the operator
 * may stay silent longer than that (its start under load): the watch starts again, and the objects
 * come again as ADDED, which the callers' checks take as they come.
 */
export async function keepWatching(kc: KubeConfig, path: string, onObject: (object: KubernetesObject) => void): Promise<() => void> {
  let stopped = false;
  let controller: AbortController | undefined;
  let failures = 0;
  const start = async (): Promise<void> => {
    controller = await new Watch(kc).watch(path, { allowWatchBookmarks: false }, (_type: string, object: KubernetesObject) => {
      failures = 0;
      onObject(object);
    }, (error: unknown) => {
      if (stopped) return;
      failures += 1;
      if (failures > 20) throw new Error(`the watch of ${path} keeps failing: ${String(error)}`);
      void start();
    });
  };
  await start();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
