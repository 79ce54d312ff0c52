// Stops the local parts that `npm run dev:up` started.
import { join } from 'node:path';
import { devDown, devPaths } from '../local/dev-state.ts';

const stopped = await devDown(devPaths(process.env.BOLTBUDGET_LOCAL_DIR ?? join(import.meta.dirname, '..', '.local')));
process.stdout.write(stopped ? 'stopped kube-apiserver, etcd and Neo4j\n' : 'nothing to stop\n');
