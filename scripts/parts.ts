// Builds or fetches the real test parts (kube-apiserver, etcd, Neo4j) and the tools the tests run
// (helm, kubectl, promtool, glua, hadolint) into the cache outside the repository.
import { ensureParts } from '../local/parts.ts';
import { stderrLog } from '../local/log.ts';

const parts = await ensureParts(stderrLog);
stderrLog(`kube-apiserver: ${parts.kube.kubeApiserver}`);
stderrLog(`etcd:           ${parts.kube.etcd}`);
stderrLog(`neo4j jars:     ${parts.neo4jLib}`);
for (const [name, path] of Object.entries(parts.tools)) stderrLog(`${`${name}:`.padEnd(16)}${path}`);
