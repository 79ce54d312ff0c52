import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { installCrds } from './install-crds.ts';
import { startLocalParts, stopLocalParts } from './local-parts.ts';
import { stderrLog } from './log.ts';
import type { Neo4jState } from './neo4j-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    neo4j: Pick<Neo4jState, 'uri' | 'username' | 'password' | 'boltPort'>;
    partsDir: string;
  }
}

/** One real control plane and one real Neo4j for the whole integration run, shared by every suite. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'boltbudget-it-'));
  const parts = await startLocalParts(dir, stderrLog);
  try {
    await installCrds(parts.controlPlane.kubeconfig);
  } catch (error) {
    await stopLocalParts(parts);
    throw error;
  }
  project.provide('kubeconfig', parts.controlPlane.kubeconfig);
  project.provide('neo4j', { uri: parts.neo4j.uri, username: parts.neo4j.username, password: parts.neo4j.password, boltPort: parts.neo4j.boltPort });
  project.provide('partsDir', dir);
  return async () => {
    await stopLocalParts(parts);
    rmSync(dir, { recursive: true, force: true });
  };
}
