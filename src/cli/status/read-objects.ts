import type { KubernetesObject } from '@kubernetes/client-node';
import { explainReadFailure, ReadFailure } from './read-failure.ts';
import type { ClusterObjects, StatusSource, StatusSources } from './sources.ts';

/** Long enough for a slow API server, short enough that a black-holed address does not hang a CI job. */
const READ_TIMEOUT_MS = 20_000;

async function listOne<T extends KubernetesObject>(source: StatusSource<T>, server: string, timeoutMs: number): Promise<readonly T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadFailure(`the API server at ${server} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return (await Promise.race([source.list(), timeout])).items;
  } catch (error) {
    throw new ReadFailure(explainReadFailure(source.what, error, server), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Lists the five resources once. All are read in parallel; when some fail, the first in a fixed order
 * (instances, budgets, workloads) is reported, so the same cluster always gives the same message.
 */
export async function readObjects(sources: StatusSources, server: string, timeoutMs = READ_TIMEOUT_MS): Promise<ClusterObjects> {
  const results = await Promise.allSettled([
    listOne(sources.instances, server, timeoutMs),
    listOne(sources.budgets, server, timeoutMs),
    listOne(sources.deployments, server, timeoutMs),
    listOne(sources.statefulSets, server, timeoutMs),
    listOne(sources.autoscalers, server, timeoutMs),
  ]);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const [instances, budgets, deployments, statefulSets, autoscalers] = results.map((result) => (result as PromiseFulfilledResult<readonly KubernetesObject[]>).value);
  return {
    instances: instances as ClusterObjects['instances'],
    budgets: budgets as ClusterObjects['budgets'],
    deployments: deployments as ClusterObjects['deployments'],
    statefulSets: statefulSets as ClusterObjects['statefulSets'],
    autoscalers: autoscalers as ClusterObjects['autoscalers'],
  };
}
