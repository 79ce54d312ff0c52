import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll } from 'vitest';
import { applyAll, deleteAll } from '../../local/manifests.ts';
import { objectApi, uniqueName } from './kube.ts';
import { boltBudget, createNamespace, deployment, neo4jInstance } from './objects.ts';
import type { OperatorProcess } from './operator-process.ts';
import { ReplicaGate } from './replica-gate.ts';

export interface CrashScenario {
  ns: string;
  /** w0..w5, 3 replicas each, pool 10, priority by position. */
  names: readonly string[];
  /** The instance at another connection limit (no buffer), to apply later. */
  instance: (connectionLimit: number) => KubernetesObject;
  /** Refuses replica changes of w1..w4 while closed. */
  gate: ReplicaGate;
  /** The operator processes the test starts: killed in afterAll. */
  runs: OperatorProcess[];
}

/**
 * The setup of the crash tests: six Deployments of 3 replicas x pool 10 on an instance of limit 100 and
 * no buffer (180 %), one Scale budget `apps` listing them, and a ReplicaGate on w1..w4 that stops an
 * operator after its first change so the test can kill it mid-way. Registers beforeAll (namespace,
 * objects, and the gate closed when `gateClosed`) and afterAll (kill the runs, open the gate, delete).
 */
export function crashScenario(prefix: string, options: { gateClosed: boolean }): CrashScenario {
  const api = objectApi();
  const ns = uniqueName(prefix);
  const instanceName = uniqueName('graph');
  const names = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5'];
  const instance = (connectionLimit: number): KubernetesObject => neo4jInstance(instanceName, { connectionLimit, bufferPercent: 0 });
  const objects = [
    instance(100),
    ...names.map((name) => deployment(ns, name, 3, { type: 'Recreate' })),
    boltBudget(ns, 'apps', {
      instanceRef: { name: instanceName },
      enforcement: 'Scale',
      workloads: names.map((name, priority) => ({ kind: 'Deployment', name, poolSize: 10, priority })),
    }),
  ];
  const gate = new ReplicaGate(ns, ['w1', 'w2', 'w3', 'w4']);
  const runs: OperatorProcess[] = [];
  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    if (options.gateClosed) await gate.close();
  });
  afterAll(async () => {
    for (const run of runs) await run.stop('SIGKILL');
    await gate.open();
    await deleteAll(api, objects);
  });
  return { ns, names, instance, gate, runs };
}
