import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { applyAll, readManifest } from '../../local/manifests.ts';
import type { Neo4jState } from '../../local/neo4j-server.ts';

/** The instance of examples/local-demo.yaml that watches the local Neo4j. */
export const DEMO_INSTANCE = 'local-graph';
const SECRET = { namespace: 'boltbudget-system', name: 'local-graph-monitor' };
const FIELD_MANAGER = 'boltbudget-examples';

type Spec = { bolt?: { uri?: string } };

/** The file's objects, with the demo instance pointed at this run's Neo4j (its port changes per start). */
function localised(objects: KubernetesObject[], neo4j: Neo4jState): KubernetesObject[] {
  return objects.map((object) => {
    const spec = (object as { spec?: Spec }).spec;
    if (object.kind !== 'Neo4jInstance' || object.metadata?.name !== DEMO_INSTANCE || spec?.bolt === undefined) return object;
    return { ...object, spec: { ...spec, bolt: { ...spec.bolt, uri: neo4j.uri } } } as KubernetesObject;
  });
}

/**
 * Applies every file in examples/ (server-side apply, so a second start changes nothing), after the
 * Secret the demo instance reads its credentials from. Returns the demo instance as applied.
 */
export async function applyExamples(api: KubernetesObjectApi, examplesDir: string, neo4j: Neo4jState, applied: (file: string) => void): Promise<KubernetesObject | undefined> {
  await applyAll(
    api,
    [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SECRET.namespace } },
      { apiVersion: 'v1', kind: 'Secret', metadata: SECRET, stringData: { username: neo4j.username, password: neo4j.password } } as KubernetesObject,
    ],
    FIELD_MANAGER,
  );
  let demo: KubernetesObject | undefined;
  for (const file of readdirSync(examplesDir).filter((f) => f.endsWith('.yaml')).sort()) {
    const objects = await applyAll(api, localised(readManifest(join(examplesDir, file)), neo4j), FIELD_MANAGER);
    demo ??= objects.find((o) => o.kind === 'Neo4jInstance' && o.metadata?.name === DEMO_INSTANCE);
    applied(file);
  }
  return demo;
}
