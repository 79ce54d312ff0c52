import { ConditionType, Reason } from '../../api/conditions.ts';
import type { BoltBudgetStatus, WorkloadStatus } from '../../api/bolt-budget.ts';
import { setConditions, type ConditionInput } from '../../api/set-condition.ts';
import { percentOf } from '../../budget/arithmetic.ts';
import { poolOverrun } from '../../budget/observation/pool-overrun.ts';
import { ceilingReplicas } from '../../budget/ceiling.ts';
import { sumRows } from '../../budget/totals.ts';
import { workloadRow, type WorkloadRow } from '../../budget/workload-row.ts';
import { budgetKey, CLUSTER_SCOPE, isClusterWide, workloadKey, type BudgetFacts, type Decision, type EventSpec, type InstanceFacts, type WatchScope } from '../facts.ts';
import { boundedCounts, saturationNote } from '../status-bounds.ts';
import { instanceSums, type InstanceSums } from '../instance/instance-sums.ts';
import { levelEvent } from '../instance/instance-decision.ts';

const workloadId = (w: { kind: string; name: string }): string => `${w.kind}/${w.name}`;

/** What the live instance showed at its last sample, when it is observed and reachable. */
export interface BudgetObservation {
  /** All application connections on the instance. */
  connections: number;
  /** Connections per workload key (namespace/kind/name). */
  byWorkload: Readonly<Record<string, number>>;
}

function workloadStatus(row: WorkloadRow, observed: number | undefined, ceiling?: number): WorkloadStatus {
  const overrun = !row.missing && observed !== undefined && poolOverrun(observed, row.poolSize, row.replicas.live);
  return {
    kind: row.kind,
    name: row.name,
    poolSize: row.poolSize,
    replicas: row.replicas,
    connections: { ...row.connections, ...(observed === undefined ? {} : { observed }) },
    state: row.missing ? 'Missing' : overrun ? 'PoolOverrun' : 'Ok',
    ...(ceiling === undefined ? {} : { ceilingReplicas: ceiling }),
  };
}

/** One event per workload that went missing or came back since the last written status. */
function workloadEvents(previous: readonly WorkloadStatus[] | undefined, next: readonly WorkloadStatus[], namespace: string): EventSpec[] {
  const before = new Map((previous ?? []).map((w) => [workloadId(w), w.state]));
  const events: EventSpec[] = [];
  for (const workload of next) {
    const was = before.get(workloadId(workload));
    if (workload.state === 'Missing' && was !== 'Missing') {
      events.push({ type: 'Warning', reason: Reason.WorkloadMissing, action: 'Evaluate', note: `${workloadId(workload)} not found in namespace ${namespace}` });
    } else if (workload.state !== 'Missing' && was === 'Missing') {
      events.push({ type: 'Normal', reason: Reason.WorkloadFound, action: 'Evaluate', note: `${workloadId(workload)} found in namespace ${namespace}` });
    }
    if (workload.state === 'PoolOverrun' && was !== 'PoolOverrun') {
      events.push({
        type: 'Warning',
        reason: Reason.PoolOverrun,
        action: 'Observe',
        note: `${workloadId(workload)} holds ${workload.connections.observed} connections, more than pool ${workload.poolSize} x ${workload.replicas.live} live replicas`,
      });
    }
  }
  return events;
}

function readyCondition(rows: readonly WorkloadRow[]): ConditionInput {
  const missing = rows.filter((row) => row.missing).map(workloadId);
  return missing.length > 0
    ? { type: ConditionType.Ready, status: 'False', reason: Reason.WorkloadMissing, message: `not found: ${missing.join(', ')}` }
    : { type: ConditionType.Ready, status: 'True', reason: Reason.Reconciled, message: `${rows.length} workloads added up` };
}

/**
 * A spec that cannot be acted on until someone changes it (or the instance it names): Ready False,
 * Stalled True and WithinBudget False, all with the same reason, so that kstatus, Flux and Helm 4 report
 * Failed and nothing reads as within budget.
 */
function stalledConditions(reason: string, message: string): ConditionInput[] {
  return [
    { type: ConditionType.Ready, status: 'False', reason, message },
    { type: ConditionType.Stalled, status: 'True', reason, message },
    { type: ConditionType.WithinBudget, status: 'False', reason, message },
  ];
}

/** Stalled stays False (not absent) while the spec can be acted on: explicit for kubectl wait and the condition gauge. */
const ACCEPTED: ConditionInput = { type: ConditionType.Stalled, status: 'False', reason: Reason.SpecAccepted, message: 'the spec and its Neo4jInstance can be acted on' };

/** What a namespaced operator adds to the level: it counts only the budgets it can see. */
function scopeNote(scope: WatchScope): string {
  return isClusterWide(scope) ? '' : ` (counting only the budgets in namespaces ${scope.namespaces.join(', ')})`;
}

/** Ready carries a note when figures had to be saturated to stay writable. */
function bounded(status: BoltBudgetStatus, generation: number, now: Date): BoltBudgetStatus {
  const { status: within, saturated } = boundedCounts(status);
  if (saturated.length === 0) return within;
  const ready = within.conditions?.find((c) => c.type === ConditionType.Ready);
  if (!ready) return within;
  const conditions = setConditions(within.conditions, [{ type: ready.type, status: ready.status, reason: ready.reason, message: `${ready.message}; ${saturationNote(saturated)}` }], generation, now);
  return { ...within, conditions };
}

/**
 * The status of a budget: its own rows and sums, its share of the instance's limit, the instance's level
 * and, per workload, the most replicas that keep the instance under its warning line. `scope` is what
 * this process watches: with only some namespaces the level covers only the budgets it can see, and
 * the status says so. `sums` are the instance's sums over `instanceBudgets` when the caller has them.
 */
export function decideBudget(
  budget: BudgetFacts,
  instance: InstanceFacts | undefined,
  instanceBudgets: readonly BudgetFacts[],
  now: Date,
  observation?: BudgetObservation,
  scope: WatchScope = CLUSTER_SCOPE,
  sums?: InstanceSums,
): Decision<BoltBudgetStatus> {
  const generation = budget.generation;
  if (!budget.spec.ok) {
    const conditions = setConditions(budget.status?.conditions, stalledConditions(Reason.InvalidSpec, budget.spec.message), generation, now);
    return { status: { observedGeneration: generation, conditions }, events: [] };
  }
  const instanceName = budget.spec.value.instanceRef.name;
  const scoped = isClusterWide(scope) ? {} : { scope: { namespaces: [...scope.namespaces] } };

  if (!instance || !instance.spec.ok) {
    const rows = budget.workloads.map(workloadRow);
    const totals = sumRows(rows);
    const reason = instance ? Reason.InstanceInvalid : Reason.InstanceNotFound;
    const message = instance ? `Neo4jInstance ${instanceName} has an invalid spec` : `Neo4jInstance ${instanceName} not found`;
    const workloads = rows.map((row) => workloadStatus(row, undefined));
    const conditions = setConditions(budget.status?.conditions, stalledConditions(reason, message), generation, now);
    const status: BoltBudgetStatus = {
      observedGeneration: generation,
      planned: { connections: totals.planned },
      current: { connections: totals.current },
      peak: { connections: totals.peak },
      workloads,
      ...scoped,
      conditions,
    };
    return { status: bounded(status, generation, now), events: workloadEvents(budget.status?.workloads, workloads, budget.namespace) };
  }

  const spec = instance.spec.value;
  const { rowsByBudget, totals: instanceTotals, verdict } = sums ?? instanceSums(spec, instanceBudgets, observation?.connections);
  const rows = rowsByBudget.get(budgetKey(budget)) ?? budget.workloads.map(workloadRow);
  const totals = sumRows(rows);
  const observedOf = (row: WorkloadRow): number | undefined => observation?.byWorkload[workloadKey(budget.namespace, row.kind, row.name)];
  const workloads = rows.map((row) => workloadStatus(row, observedOf(row), ceilingReplicas(row.poolSize, instanceTotals.current - row.connections.current, spec)));
  const level = verdict.level;
  const views = `planned ${verdict.planned.percent} %, current ${verdict.current.percent} % of ${spec.connectionLimit}`;
  const conditions = setConditions(
    budget.status?.conditions,
    [
      readyCondition(rows),
      ACCEPTED,
      {
        type: ConditionType.WithinBudget,
        status: level === 'Healthy' ? 'True' : 'False',
        reason: level,
        message: `Neo4jInstance ${instanceName} is ${level}: ${views}${scopeNote(scope)}`,
      },
    ],
    generation,
    now,
  );
  const status: BoltBudgetStatus = {
    observedGeneration: generation,
    level,
    planned: { connections: totals.planned },
    current: { connections: totals.current },
    peak: { connections: totals.peak },
    sharePercent: percentOf(totals.planned, spec.connectionLimit),
    workloads,
    ...scoped,
    conditions,
  };
  return {
    status: bounded(status, generation, now),
    // Observe's whole voice is the budget itself: its level changes are events on it too.
    events: [...levelEvent(budget.status?.level, level, `Neo4jInstance ${instanceName}: ${views}`), ...workloadEvents(budget.status?.workloads, workloads, budget.namespace)],
  };
}
