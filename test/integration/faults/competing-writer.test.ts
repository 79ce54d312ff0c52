import { ApiException, AppsV1Api, AutoscalingV2Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { autoscaler, autoscalerState, boltBudget, budgetStatus, createNamespace, deployment, eventsAbout, neo4jInstance, workloadState } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';

const api = objectApi();
const ORIGINAL = 'boltbudget.io/original-replicas';
const APPLIED = 'boltbudget.io/applied-replicas';
const ORIGINAL_MAX = 'boltbudget.io/original-max-replicas';
const APPLIED_MAX = 'boltbudget.io/applied-max-replicas';
const CHANGED_BY = 'boltbudget.io/changed-by';
const ADOPTED = 'boltbudget.io/override-adopted';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const recreate = { type: 'Recreate' };

/** What a self-healing GitOps tool does: puts the declared values back, over and over. */
interface WriterCounts {
  writes: number;
  conflicts: number;
}

/**
 * Every 100 ms for `durationMs`: the HPA's maxReplicas back to 8 (a merge patch, as `kubectl patch`), and
 * the Deployment's replicas back to 5 (read, then a full update with the read resourceVersion, as a
 * controller does: a write in between is a 409, counted, and tried again on the next tick).
 */
async function competingWriter(namespace: string, durationMs: number): Promise<WriterCounts> {
  const kc = testKubeConfig();
  const apps = kc.makeApiClient(AppsV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  const counts: WriterCounts = { writes: 0, conflicts: 0 };
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    const tick = Date.now();
    await autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name: 'web', body: { spec: { maxReplicas: 8 } } }, mergePatch);
    counts.writes += 1;
    const live = await apps.readNamespacedDeployment({ namespace, name: 'api' });
    try {
      await apps.replaceNamespacedDeployment({ namespace, name: 'api', body: { ...live, spec: { ...live.spec!, replicas: 5 } } });
      counts.writes += 1;
    } catch (error) {
      if (!(error instanceof ApiException) || error.code !== 409) throw error;
      counts.conflicts += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tick))));
  }
  return counts;
}

const reasonsOf = async (kind: string, name: string, ns: string): Promise<string[]> => (await eventsAbout(kind, name, ns)).map((e) => e.reason).filter((r) => r !== 'OverBudget' && r !== 'WithinBudget');

describe('a competing writer changing the same workload and HPA every 100 ms: no tug-of-war', () => {
  const ns = uniqueName('compete');
  const instanceName = uniqueName('graph');
  // limit 100, no buffer, warning 80: api 5 + web 6 replicas of pool 10 = 110 %. Scale lowers api to its
  // floor 4 (100 %) and caps web's HPA at its floor 4 (80 % once the HPA acts on it).
  const objects = [
    neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }),
    deployment(ns, 'api', 5, recreate),
    deployment(ns, 'web', 6, recreate),
    autoscaler(ns, 'web', 'web', 8),
    boltBudget(ns, 'apps', {
      instanceRef: { name: instanceName },
      enforcement: 'Scale',
      workloads: [
        { kind: 'Deployment', name: 'api', poolSize: 10, priority: 0, minReplicas: 4 },
        { kind: 'Deployment', name: 'web', poolSize: 10, priority: 10, minReplicas: 4 },
      ],
    }),
  ];
  let operator: OperatorProcess;
  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    operator = await startOperator(['--log-level', 'debug', '--resync-seconds', '1']);
  });
  afterAll(async () => {
    await operator.stop();
    expect(operator.exitCode).toBe(0);
    await deleteAll(api, objects);
  });

  it('adopts both overrides once, then writes nothing more to them while the writer keeps going', async () => {
    await eventually(async () => expect(await workloadState('Deployment', ns, 'api')).toMatchObject({ replicas: 4, annotations: { [ORIGINAL]: '5', [APPLIED]: '4', [CHANGED_BY]: 'apps' } }));
    await eventually(async () => expect(await autoscalerState(ns, 'web')).toMatchObject({ maxReplicas: 4, annotations: { [ORIGINAL_MAX]: '8', [APPLIED_MAX]: '4', [CHANGED_BY]: 'apps' } }));
    const scaleWrites = (): number => operator.count((line) => line.msg === 'enforcement applied' && (line.action === 'scale' || line.action === 'setMaxReplicas'));
    await eventually(() => expect(scaleWrites()).toBe(2));

    const counts = await competingWriter(ns, 5000);
    // Two more reconciles of the budget after the writer stopped: the positive signal before "nothing more".
    await laterBudgetReconciles(operator, `${ns}/apps`);

    // People win: the writer's values stand, the operator's record is gone, the adoption is marked.
    const apiState = await workloadState('Deployment', ns, 'api');
    const hpaState = await autoscalerState(ns, 'web');
    expect(apiState.replicas).toBe(5);
    expect(hpaState.maxReplicas).toBe(8);
    for (const annotations of [apiState.annotations, hpaState.annotations]) {
      expect(Object.keys(annotations).filter((key) => [ORIGINAL, APPLIED, ORIGINAL_MAX, APPLIED_MAX, CHANGED_BY].includes(key))).toEqual([]);
      expect(JSON.parse(annotations[ADOPTED] ?? '{}')).toEqual({ budget: 'apps', level: 'Exceeded' });
    }
    // No tug-of-war: the two cuts before the writer, none after; each change and each adoption said once.
    expect(scaleWrites()).toBe(2);
    expect(await reasonsOf('Deployment', 'api', ns)).toEqual(['ScaledDown', 'OverrideAdopted']);
    expect(await reasonsOf('HorizontalPodAutoscaler', 'web', ns)).toEqual(['MaxReplicasCapped', 'OverrideAdopted']);
    expect((await budgetStatus(ns, 'apps'))?.workloads?.map((w) => [w.name, w.state])).toEqual([
      ['api', 'Overridden'],
      ['web', 'Overridden'],
    ]);
    // The writer really competed (about 100 writes in 5 s); conflicts on either side were handled, not fatal.
    expect(counts.writes).toBeGreaterThanOrEqual(40);
    expect(operator.running()).toBe(true);
    const operatorConflicts = operator.count((line) => line.msg === 'reconcile failed; requeued' && JSON.stringify(line.err).includes('409'));
    console.info(`competing writer: ${counts.writes} writes, ${counts.conflicts} conflicts (409) on its side, ${operatorConflicts} on the operator's`);
  });
});
