import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCrds } from './install-crds.ts';
import { localPartsRunning, startLocalParts, stopLocalParts, type LocalParts } from './local-parts.ts';
import type { ProgressLog } from './log.ts';

/** The local parts a person runs with `npm run dev:up`, remembered in .local/ so later commands reuse them. */
export interface DevPaths {
  root: string;
  state: string;
  parts: string;
  kubeconfig: string;
  neo4jEnv: string;
}

export function devPaths(root: string): DevPaths {
  return {
    root,
    state: join(root, 'state.json'),
    parts: join(root, 'parts'),
    kubeconfig: join(root, 'kubeconfig'),
    neo4jEnv: join(root, 'neo4j.env'),
  };
}

function readState(paths: DevPaths): LocalParts | undefined {
  if (!existsSync(paths.state)) return undefined;
  return JSON.parse(readFileSync(paths.state, 'utf8')) as LocalParts;
}

/** Starts the control plane and Neo4j, or reuses running ones; installs the CRDs; writes .local/. */
export async function devUp(paths: DevPaths, log: ProgressLog): Promise<{ parts: LocalParts; reused: boolean }> {
  const previous = readState(paths);
  let parts: LocalParts;
  let reused = false;
  if (previous && localPartsRunning(previous)) {
    parts = previous;
    reused = true;
  } else {
    if (previous) await stopLocalParts(previous);
    rmSync(paths.parts, { recursive: true, force: true });
    mkdirSync(paths.root, { recursive: true });
    parts = await startLocalParts(paths.parts, log);
    writeFileSync(paths.state, JSON.stringify(parts, null, 2), { mode: 0o600 });
  }
  await installCrds(parts.controlPlane.kubeconfig);
  copyFileSync(parts.controlPlane.kubeconfig, paths.kubeconfig);
  writeFileSync(
    paths.neo4jEnv,
    `NEO4J_URI=${parts.neo4j.uri}\nNEO4J_USERNAME=${parts.neo4j.username}\nNEO4J_PASSWORD=${parts.neo4j.password}\n`,
    { mode: 0o600 },
  );
  return { parts, reused };
}

/** Stops whatever devUp started and forgets it. */
export async function devDown(paths: DevPaths): Promise<boolean> {
  const state = readState(paths);
  if (!state) return false;
  await stopLocalParts(state);
  rmSync(paths.parts, { recursive: true, force: true });
  rmSync(paths.state, { force: true });
  return true;
}
