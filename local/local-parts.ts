import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { controlPlaneRunning, startControlPlane, stopControlPlane, type ControlPlaneState } from './control-plane.ts';
import { isRunning } from './processes.ts';
import { startNeo4j, stopNeo4j, type Neo4jOptions, type Neo4jState } from './neo4j-server.ts';
import { ensureParts } from './parts.ts';
import type { ProgressLog } from './log.ts';

/** One control plane and one Neo4j, started together under one directory. */
export interface LocalParts {
  controlPlane: ControlPlaneState;
  neo4j: Neo4jState;
}

export async function startLocalParts(dir: string, log: ProgressLog, neo4jOptions: Neo4jOptions = {}): Promise<LocalParts> {
  const parts = await ensureParts(log);
  mkdirSync(dir, { recursive: true });
  log(`starting etcd, kube-apiserver and Neo4j under ${dir}`);
  const [controlPlane, neo4j] = await Promise.allSettled([
    startControlPlane(parts.kube, join(dir, 'kube')),
    startNeo4j(parts.neo4jLib, join(dir, 'neo4j'), neo4jOptions),
  ]);
  if (controlPlane.status === 'rejected' || neo4j.status === 'rejected') {
    if (controlPlane.status === 'fulfilled') await stopControlPlane(controlPlane.value);
    if (neo4j.status === 'fulfilled') await stopNeo4j(neo4j.value);
    const reason: unknown = controlPlane.status === 'rejected' ? controlPlane.reason : (neo4j as PromiseRejectedResult).reason;
    throw reason instanceof Error ? reason : new Error(String(reason));
  }
  return { controlPlane: controlPlane.value, neo4j: neo4j.value };
}

export async function stopLocalParts(parts: LocalParts): Promise<void> {
  await Promise.all([stopControlPlane(parts.controlPlane), stopNeo4j(parts.neo4j)]);
}

export function localPartsRunning(parts: LocalParts): boolean {
  return controlPlaneRunning(parts.controlPlane) && isRunning(parts.neo4j.pid);
}
