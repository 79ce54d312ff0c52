import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../harness/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, eventsAbout, neo4jInstance, workloadState } from '../../support/objects.ts';
import { OperatorProcess, startOperator } from '../../support/operator-process.ts';

const api = objectApi();
const ORIGINAL = 'boltbudget.io/original-replicas';

describe('the operator killed in the middle of applying a plan', () => {
  const ns = uniqueName('crash');
  const instanceName = uniqueName('graph');
  const names = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5'];
  // limit 100, no buffer: six workloads of 3 x 10 = 180 %; the plan lowers w0..w4 to 1 each (80 %).
  const objects = [
    neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }),
    ...names.map((name) => deployment(ns, name, 3, { type: 'Recreate' })),
    boltBudget(ns, 'apps', {
      instanceRef: { name: instanceName },
      enforcement: 'Scale',
      workloads: names.map((name, priority) => ({ kind: 'Deployment', name, poolSize: 10, priority })),
    }),
  ];
  const runs: OperatorProcess[] = [];
  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
  });
  afterAll(async () => {
    for (const run of runs) await run.stop('SIGKILL');
    await deleteAll(api, objects);
  });

  it('converges after a restart to the same end state, nothing applied twice, the originals kept', async () => {
    const first = new OperatorProcess([]);
    runs.push(first);
    await first.waitForLog('the first change of the plan', (line) => line.msg === 'enforcement applied');
    await first.stop('SIGKILL');
    // What the killed process had already done (its last log lines may not have made it out).
    const lowered = new Set<string>();
    for (const name of names) if ((await workloadState('Deployment', ns, name)).replicas === 1) lowered.add(name);
    expect(lowered.size).toBeLessThan(5);

    const second = await startOperator();
    runs.push(second);
    for (const name of names.slice(0, 5)) {
      await eventually(async () => expect(await workloadState('Deployment', ns, name)).toMatchObject({ replicas: 1, annotations: { [ORIGINAL]: '3' } }), 20_000);
    }
    expect(await workloadState('Deployment', ns, 'w5')).toMatchObject({ replicas: 3 });
    expect((await workloadState('Deployment', ns, 'w5')).annotations[ORIGINAL]).toBeUndefined();

    await new Promise((resolve) => setTimeout(resolve, 2000));
    const scaledAfterRestart = second.lines.filter((line) => line.msg === 'enforcement applied' && line.action === 'scale').map((line) => String(line.target));
    // The restarted process scaled exactly what the killed one had not: nothing twice, nothing missed.
    expect(scaledAfterRestart.sort()).toEqual(names.slice(0, 5).filter((name) => !lowered.has(name)).map((name) => `Deployment/${name}`));
    for (const name of names.slice(0, 5)) {
      expect((await eventsAbout('Deployment', name, ns)).filter((event) => event.reason === 'ScaledDown').length).toBeLessThanOrEqual(1);
    }
  });
});
