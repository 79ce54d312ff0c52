// `npm start`: the operator's main job on the local default. Starts (or reuses) the local control plane
// and Neo4j, installs the CRDs and the examples, and runs the operator against them until Ctrl-C.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { runOperator } from '../src/run-operator.ts';
import { devPaths, devUp } from '../local/dev-state.ts';
import { stderrLog } from '../local/log.ts';
import { applyAll, readManifest } from '../local/manifests.ts';

const startLog = (message: string): void => void process.stderr.write(`[start] ${message}\n`);
const root = join(import.meta.dirname, '..');
const paths = devPaths(process.env.BOLTBUDGET_LOCAL_DIR ?? join(root, '.local'));
const { parts } = await devUp(paths, stderrLog);

const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const api = KubernetesObjectApi.makeApiClient(kc);
const examples = join(root, 'examples');
for (const file of readdirSync(examples).filter((f) => f.endsWith('.yaml')).sort()) {
  await applyAll(api, readManifest(join(examples, file)), 'boltbudget-examples');
  startLog(`applied examples/${file}`);
}

// An instance watched live: the local Neo4j, through a monitoring Secret, as a platform team would set it up.
await applyAll(
  api,
  [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'boltbudget-system' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'local-graph-monitor', namespace: 'boltbudget-system' }, stringData: { username: parts.neo4j.username, password: parts.neo4j.password } } as KubernetesObject,
    {
      apiVersion: 'boltbudget.io/v1alpha1',
      kind: 'Neo4jInstance',
      metadata: { name: 'local-graph' },
      spec: { connectionLimit: 100, bolt: { uri: parts.neo4j.uri, credentialsSecretRef: { namespace: 'boltbudget-system', name: 'local-graph-monitor' }, pollIntervalSeconds: 5 } },
    } as KubernetesObject,
  ],
  'boltbudget-examples',
);
startLog('Neo4jInstance local-graph watches the local Neo4j live (status.observed)');

const config = parseConfig(['--kubeconfig', paths.kubeconfig, '--metrics-bind-address', '127.0.0.1:0', ...process.argv.slice(2)], {});
const log = createLogger(config.logLevel);
const running = await runOperator(config, log);
startLog(`operator running against ${parts.controlPlane.server}; metrics on http://${running.metricsAddress}/metrics`);
startLog('watch it: kubectl --kubeconfig .local/kubeconfig get n4j,bb -A');
startLog('Ctrl-C stops the operator; `npm run dev:down` stops the local parts');
const stop = (): void => {
  running.shutdown().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
