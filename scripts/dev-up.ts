// Starts (or reuses) a local kube-apiserver + etcd and Neo4j, installs the CRDs and writes .local/.
import { join } from 'node:path';
import { devPaths, devUp } from '../local/dev-state.ts';
import { stderrLog } from '../local/log.ts';

const paths = devPaths(process.env.BOLTBUDGET_LOCAL_DIR ?? join(import.meta.dirname, '..', '.local'));
const { parts, reused } = await devUp(paths, stderrLog);
const verb = reused ? 'reusing' : 'started';
process.stdout.write(
  [
    `${verb} kube-apiserver ${parts.controlPlane.server} (pid ${parts.controlPlane.apiserverPid}) with etcd (pid ${parts.controlPlane.etcdPid})`,
    `${verb} Neo4j ${parts.neo4j.uri} (pid ${parts.neo4j.pid})`,
    `CRDs installed; kubeconfig: .local/kubeconfig; Neo4j credentials: .local/neo4j.env`,
    `try: kubectl --kubeconfig .local/kubeconfig get crd`,
    `stop everything with: npm run dev:down`,
    '',
  ].join('\n'),
);
