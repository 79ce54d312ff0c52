// Builds or fetches the real test parts (kube-apiserver, etcd, Neo4j) into the cache outside the repository.
import { ensureParts } from '../test/harness/parts.ts';
import { stderrLog } from '../test/harness/log.ts';

const parts = await ensureParts(stderrLog);
stderrLog(`kube-apiserver: ${parts.kube.kubeApiserver}`);
stderrLog(`etcd:           ${parts.kube.etcd}`);
stderrLog(`neo4j jars:     ${parts.neo4jLib}`);
