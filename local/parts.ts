import { ensureKubeBinaries, type KubeBinaries } from './kube-build.ts';
import { ensureNeo4jJars } from './neo4j-fetch.ts';
import type { ProgressLog } from './log.ts';
import { ensureTools, type Tools } from './tools.ts';

export interface Parts {
  kube: KubeBinaries;
  neo4jLib: string;
  tools: Tools;
}

/** Builds or fetches every real part and tool into the cache (a no-op when all are cached). */
export async function ensureParts(log: ProgressLog): Promise<Parts> {
  const [kube, neo4jLib, tools] = await Promise.all([ensureKubeBinaries(log), ensureNeo4jJars(log), ensureTools(log)]);
  return { kube, neo4jLib, tools };
}
