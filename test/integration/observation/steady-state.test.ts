import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi } from '../../support/kube.ts';
import { boltBudget, deployment, instanceStatus } from '../../support/objects.ts';
import { observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type LogLine, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
/** Polls in a row whose figures are all the same, across which nothing may be written. */
const QUIET_POLLS = 5;
/**
 * Polls the test waits at most for that quiet stretch. The Neo4j is shared with the files that ran before:
 * their connections may still be closing, and every change in the figures is a legitimate write.
 */
const MAX_POLLS = 20;
const POLL_SECONDS = 5;
/** What the status shows of a sample (instance-poller.ts logs them at debug with each sample). */
const STATUS_FIGURES = ['connections', 'running', 'idle', 'unattributed', 'openedPerMinute', 'closedPerMinute', 'threadPoolMaxSize'] as const;

/** A sample's figures as one text; a poll that lost the instance is unlike any other (its status changes). */
const figuresOf = (line: LogLine): string => (line.msg === 'instance not reachable' ? `unreachable at ${String(line.time)}` : JSON.stringify(STATUS_FIGURES.map((figure) => line[figure] ?? null)));

interface QuietStretch {
  /** Index in the operator's log of the first sample after the stretch began (writes after it count). */
  from: number;
  /** Index of the sample after the stretch (the reconciles of the stretch's last sample are done by then). */
  to: number;
}

describe('steady state over a quiet Neo4j', () => {
  let operator: OperatorProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;

  beforeAll(async () => {
    created = await observedInstance({ connectionLimit: 100 });
    created.objects.push(
      deployment(created.namespace, 'api', 2),
      boltBudget(created.namespace, 'api', { instanceRef: { name: created.instanceName }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] }),
    );
    await applyAll(api, created.objects);
    // Debug: the log line of every sample carries its figures and the operator's own connection count.
    operator = await startOperator(['--secret-namespaces', created.namespace, '--log-level', 'debug']);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  const lineIndexes = (predicate: (line: LogLine) => boolean): number[] => operator.lines.flatMap((line, index) => (predicate(line) ? [index] : []));
  /** Polls that changed what the operator knows: each sample, and the poll that lost the instance (logged once per outage). */
  const samples = (): number[] => lineIndexes((line) => (line.msg === 'instance sampled' || line.msg === 'instance not reachable') && line.neo4jInstance === created.instanceName);
  const instanceWrites = (): number[] => lineIndexes((line) => line.msg === 'instance status written' && line.neo4jInstance === created.instanceName);
  const budgetWrites = (): number[] => lineIndexes((line) => line.msg === 'budget status written' && line.boltBudget === `${created.namespace}/api`);

  /**
   * The first QUIET_POLLS + 1 samples in a row with the same figures (from the second sample on: rates
   * need two), followed by one more sample. Writes after the stretch's second sample follow samples that
   * showed nothing new.
   */
  function quietStretch(): QuietStretch | undefined {
    const at = samples();
    const figures = at.map((index) => figuresOf(operator.lines[index]!));
    for (let start = 1; start + QUIET_POLLS + 1 < at.length; start++) {
      const stretch = figures.slice(start, start + QUIET_POLLS + 1);
      if (stretch.every((f) => f === stretch[0])) return { from: at[start + 1]!, to: at[start + QUIET_POLLS + 1]! };
    }
    return undefined;
  }

  it('writes the instance status only when a sample shows something new, and nothing across polls that show nothing new', { timeout: (MAX_POLLS + 4) * POLL_SECONDS * 1000 }, async () => {
    const { from, to } = await eventually(() => {
      const stretch = quietStretch();
      if (!stretch) throw new Error(`no ${QUIET_POLLS + 1} samples in a row with the same figures: ${samples().map((i) => figuresOf(operator.lines[i]!)).join(' ')}`);
      return stretch;
    }, (MAX_POLLS + 2) * POLL_SECONDS * 1000, 250);
    const within = (indexes: readonly number[]): number[] => indexes.filter((index) => index > from && index < to);
    expect(within(instanceWrites())).toEqual([]);
    expect(within(budgetWrites())).toEqual([]);
    // The budget's status was written (so the check above reads the log line it would be).
    expect(budgetWrites().length).toBeGreaterThanOrEqual(1);

    // Before the stretch: one write for the declared figures, then at most one per sample that showed
    // something new (the first sample is new: Reachable and the observed figures appear).
    const before = samples().filter((index) => index <= from);
    const newSamples = before.filter((index, k) => k === 0 || figuresOf(operator.lines[index]!) !== figuresOf(operator.lines[before[k - 1]!]!)).length;
    const writesBefore = instanceWrites().filter((index) => index <= from).length;
    expect(writesBefore).toBeGreaterThanOrEqual(1);
    expect(writesBefore).toBeLessThanOrEqual(1 + newSamples);
    await eventually(async () => expect((await instanceStatus(created.instanceName))?.conditions?.find((c) => c.type === 'Reachable')).toMatchObject({ status: 'True' }), 10_000, 100);

    // What would have rewritten the status before: the operator's own connections move while nothing else does.
    const own = samples().flatMap((index) => (operator.lines[index]!.msg === 'instance sampled' ? [Number(operator.lines[index]!.own)] : []));
    expect(own.length).toBeGreaterThanOrEqual(QUIET_POLLS + 2);
    expect(own.every((n) => n >= 1 && n <= 2)).toBe(true);
  });
});
