import { describe, expect, it } from 'vitest';
import { applyAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { crashScenario } from '../../support/crash-scenario.ts';
import { objectApi } from '../../support/kube.ts';
import { budgetStatus, deployment, eventsAbout, workloadState } from '../../support/objects.ts';
import { startOperator } from '../../support/operator-process.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';
import { REPLICA_GATE_MESSAGE } from '../../support/replica-gate.ts';

const api = objectApi();
const ORIGINAL = 'boltbudget.io/original-replicas';
const APPLIED = 'boltbudget.io/applied-replicas';
const CHANGED_BY = 'boltbudget.io/changed-by';
const RECORD = [ORIGINAL, APPLIED, CHANGED_BY];
const recordOf = (annotations: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(annotations).filter(([key]) => RECORD.includes(key)));

describe('the operator killed in the middle of a restore', () => {
  // limit 100, no buffer: six workloads of 3 x 10 = 180 %; Scale lowers w0..w4 to 1 each (80 %). A limit
  // of 1000 then has room for all of them (18 %): the restore gives back w0..w4. The API server refuses
  // replica changes of w1..w4 once the gate closes: the first process gives back w0 and is stuck there.
  const { ns, names, instance, gate, runs } = crashScenario('crash-restore', { gateClosed: false });

  it('converges after a restart: every original restored exactly once, nothing lowered again', async () => {
    const first = await startOperator();
    runs.push(first);
    for (const name of names.slice(0, 5)) {
      await eventually(async () => expect(await workloadState('Deployment', ns, name)).toMatchObject({ replicas: 1, annotations: { [ORIGINAL]: '3', [APPLIED]: '1' } }));
    }
    await gate.close();
    await applyAll(api, [instance(1000)]);
    // Killed once the restore's first change is on the API server and the next one was refused.
    await eventually(async () => expect(await workloadState('Deployment', ns, 'w0')).toMatchObject({ replicas: 3 }));
    await first.waitForLog('the refused second give-back', (line) => line.msg === 'reconcile failed; requeued' && JSON.stringify(line.err).includes(REPLICA_GATE_MESSAGE));
    await first.stop('SIGKILL');
    // The give-back and its record went in one patch: w0 is whole with no record, the others still lowered.
    expect(recordOf((await workloadState('Deployment', ns, 'w0')).annotations)).toEqual({});
    for (const name of names.slice(1, 5)) expect(await workloadState('Deployment', ns, name)).toMatchObject({ replicas: 1, annotations: { [ORIGINAL]: '3', [APPLIED]: '1' } });
    await gate.open();

    const second = await startOperator(['--log-level', 'debug', '--resync-seconds', '1']);
    runs.push(second);
    for (const name of names) {
      await eventually(async () => {
        const state = await workloadState('Deployment', ns, name);
        expect([state.replicas, recordOf(state.annotations)]).toEqual([3, {}]);
      });
    }
    await laterBudgetReconciles(second, `${ns}/apps`);
    // The restarted process gave back exactly what the killed one had not: nothing twice, nothing lowered.
    const applied = second.lines.filter((line) => line.msg === 'enforcement applied' && line.action === 'scale').map((line) => `${String(line.target)}=${String(line.replicas)}`);
    expect(applied.sort()).toEqual(['Deployment/w1=3', 'Deployment/w2=3', 'Deployment/w3=3', 'Deployment/w4=3']);
    for (const name of names.slice(0, 5)) {
      const reasons = (await eventsAbout('Deployment', name, ns)).map((e) => e.reason).filter((r) => r === 'ScaledDown' || r === 'Restored');
      expect(reasons).toEqual(['ScaledDown', 'Restored']);
    }
    expect((await budgetStatus(ns, 'apps'))?.plan).toEqual([]);
  });

  it('cleans up a give-back an earlier version left half-done (replicas back, record still there), without scaling or an event', async () => {
    const runner = runs.at(-1)!;
    // What the earlier annotate-then-scale version left when killed between its /scale and its clean-up.
    await applyAll(api, [{ ...deployment(ns, 'w5', 3, { type: 'Recreate' }), metadata: { name: 'w5', namespace: ns, annotations: { [ORIGINAL]: '3', [CHANGED_BY]: 'apps' } } }]);
    await eventually(async () => expect(recordOf((await workloadState('Deployment', ns, 'w5')).annotations)).toEqual({}));
    await laterBudgetReconciles(runner, `${ns}/apps`);
    expect((await workloadState('Deployment', ns, 'w5')).replicas).toBe(3);
    expect(runner.count((line) => line.msg === 'enforcement applied' && line.target === 'Deployment/w5' && line.action === 'scale')).toBe(0);
    expect((await eventsAbout('Deployment', 'w5', ns)).map((e) => e.reason).filter((r) => r === 'ScaledDown' || r === 'Restored' || r === 'OverrideAdopted')).toEqual([]);
  });
});
