import { describe, expect, it } from 'vitest';
import { crashScenario } from '../../support/crash-scenario.ts';
import { eventually } from '../../support/eventually.ts';
import { eventsAbout, workloadState } from '../../support/objects.ts';
import { OperatorProcess, startOperator } from '../../support/operator-process.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';
import { REPLICA_GATE_MESSAGE } from '../../support/replica-gate.ts';

const ORIGINAL = 'boltbudget.io/original-replicas';
const APPLIED = 'boltbudget.io/applied-replicas';
const CHANGED_BY = 'boltbudget.io/changed-by';
/** The record Scale keeps on a workload it changed (the over-budget flag aside). */
const scaleRecord = (annotations: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(annotations).filter(([key]) => key === ORIGINAL || key === APPLIED || key === CHANGED_BY));

describe('the operator killed in the middle of applying a plan', () => {
  // limit 100, no buffer: six workloads of 3 x 10 = 180 %; the plan lowers w0..w4 to 1 each (80 %).
  // The API server refuses replica changes of w1..w4: the first process applies w0 and is stuck there.
  const { ns, names, gate, runs } = crashScenario('crash', { gateClosed: true });

  it('converges after a restart to the same end state, nothing applied twice, the originals kept', async () => {
    const first = new OperatorProcess([]);
    runs.push(first);
    // Killed once the plan's first change is on the API server and the next one was refused.
    await eventually(async () => expect(await workloadState('Deployment', ns, 'w0')).toMatchObject({ replicas: 1, annotations: { [ORIGINAL]: '3', [APPLIED]: '1' } }));
    await first.waitForLog('the refused second change', (line) => line.msg === 'reconcile failed; requeued' && JSON.stringify(line.err).includes(REPLICA_GATE_MESSAGE));
    await first.stop('SIGKILL');
    for (const name of names.slice(1)) {
      const state = await workloadState('Deployment', ns, name);
      expect([state.replicas, scaleRecord(state.annotations)]).toEqual([3, {}]);
    }
    await gate.open();

    const second = await startOperator(['--log-level', 'debug', '--resync-seconds', '1']);
    runs.push(second);
    for (const name of names.slice(0, 5)) {
      await eventually(async () => expect(await workloadState('Deployment', ns, name)).toMatchObject({ replicas: 1, annotations: { [ORIGINAL]: '3', [APPLIED]: '1' } }), 20_000);
    }
    // Two more reconciles of the budget before checking that nothing else happened.
    await laterBudgetReconciles(second, `${ns}/apps`);
    const w5 = await workloadState('Deployment', ns, 'w5');
    expect([w5.replicas, scaleRecord(w5.annotations)]).toEqual([3, {}]);
    const scaledAfterRestart = second.lines.filter((line) => line.msg === 'enforcement applied' && line.action === 'scale').map((line) => String(line.target));
    // The restarted process scaled exactly what the killed one had not: nothing twice, nothing missed.
    expect(scaledAfterRestart.sort()).toEqual(['Deployment/w1', 'Deployment/w2', 'Deployment/w3', 'Deployment/w4']);
    for (const name of names.slice(0, 5)) {
      expect((await eventsAbout('Deployment', name, ns)).filter((event) => event.reason === 'ScaledDown')).toHaveLength(1);
    }
  });
});
