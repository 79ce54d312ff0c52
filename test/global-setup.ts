import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { installCrds } from '../local/install-crds.ts';
import { startLocalParts, stopLocalParts } from '../local/local-parts.ts';
import { stderrLog } from '../local/log.ts';
import type { Neo4jState } from '../local/neo4j-server.ts';
import type { ControlPlaneState } from '../local/control-plane.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    neo4j: Pick<Neo4jState, 'uri' | 'username' | 'password' | 'boltPort'>;
    partsDir: string;
    /** JSON file holding the current Neo4jState: a suite that restarts Neo4j writes the new pid there. */
    neo4jStateFile: string;
    /** JSON file holding the current ControlPlaneState: a suite that restarts kube-apiserver writes the new pid there. */
    controlPlaneStateFile: string;
  }
}

export const NEO4J_THREAD_POOL_MAX = 40;

/** One real control plane and one real Neo4j for the whole integration run, shared by every suite. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'boltbudget-it-'));
  // Small enough that a test can exhaust it with a bounded load; see the thread-pool suite.
  const parts = await startLocalParts(dir, stderrLog, { settings: { 'server.bolt.thread_pool_max_size': NEO4J_THREAD_POOL_MAX } });
  const neo4jStateFile = join(dir, 'neo4j-state.json');
  writeFileSync(neo4jStateFile, JSON.stringify(parts.neo4j));
  const controlPlaneStateFile = join(dir, 'control-plane-state.json');
  writeFileSync(controlPlaneStateFile, JSON.stringify(parts.controlPlane));
  try {
    await installCrds(parts.controlPlane.kubeconfig);
  } catch (error) {
    await stopLocalParts(parts);
    throw error;
  }
  project.provide('kubeconfig', parts.controlPlane.kubeconfig);
  project.provide('neo4j', { uri: parts.neo4j.uri, username: parts.neo4j.username, password: parts.neo4j.password, boltPort: parts.neo4j.boltPort });
  project.provide('partsDir', dir);
  project.provide('neo4jStateFile', neo4jStateFile);
  project.provide('controlPlaneStateFile', controlPlaneStateFile);
  return async () => {
    await stopLocalParts({
      controlPlane: JSON.parse(readFileSync(controlPlaneStateFile, 'utf8')) as ControlPlaneState,
      neo4j: JSON.parse(readFileSync(neo4jStateFile, 'utf8')) as Neo4jState,
    });
    rmSync(dir, { recursive: true, force: true });
  };
}
