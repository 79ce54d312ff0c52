import type { Level } from '../../api/common.ts';
import { ConditionType, OBSERVATION_CONDITIONS, Reason, type Condition } from '../../api/conditions.ts';
import type { Neo4jInstanceSpec, Neo4jInstanceStatus } from '../../api/neo4j-instance.ts';
import { setConditions, type ConditionInput } from '../../api/set-condition.ts';
import { isOverWarning, levelRank } from '../../budget/levels.ts';
import { CLUSTER_SCOPE, isClusterWide, type BudgetFacts, type Decision, type EventSpec, type InstanceFacts, type WatchScope } from '../facts.ts';
import { boundedCounts, saturationNote } from '../status-bounds.ts';
import { instanceSums } from './instance-sums.ts';
import type { InstanceObservation } from './instance-poller.ts';
import { observationConditions, observedStatus, stableObserved } from './observation-status.ts';

function capacityMessage(status: Pick<Neo4jInstanceStatus, 'planned' | 'current' | 'peak' | 'observed'>, spec: Neo4jInstanceSpec): string {
  const observed = status.observed ? `, observed ${status.observed.percent} %` : '';
  return `planned ${status.planned?.percent} %, current ${status.current?.percent} %${observed}, peak ${status.peak?.percent} % of ${spec.connectionLimit} connections (warning over ${spec.warningPercent} %, critical over ${spec.criticalPercent} %)`;
}

/** One event when a level changes (none for a first Healthy). */
export function levelEvent(previous: Level | undefined, next: Level, message: string): EventSpec[] {
  if (previous === next || (previous === undefined && next === 'Healthy')) return [];
  const worse = previous === undefined || levelRank(next) > levelRank(previous);
  return [
    {
      type: isOverWarning(next) ? 'Warning' : 'Normal',
      reason: `Level${next}`,
      action: 'Evaluate',
      note: `level ${worse ? 'rose' : 'fell'} to ${next}${previous ? ` from ${previous}` : ''}: ${message}`,
    },
  ];
}

/**
 * An instance whose spec cannot be read: Ready False and Stalled True with InvalidSpec; the figures of an
 * older spec go, and every other condition becomes Unknown (nothing is claimed about a spec not evaluated).
 */
function invalidSpec(instance: InstanceFacts, message: string, now: Date): Decision<Neo4jInstanceStatus> {
  const others: ConditionInput[] = (instance.status?.conditions ?? [])
    .filter((c) => c.type !== ConditionType.Ready && c.type !== ConditionType.Stalled)
    .map((c) => ({ type: c.type, status: 'Unknown', reason: Reason.InvalidSpec, message: 'not evaluated: the spec is invalid' }));
  const inputs: ConditionInput[] = [
    { type: ConditionType.Ready, status: 'False', reason: Reason.InvalidSpec, message },
    { type: ConditionType.Stalled, status: 'True', reason: Reason.InvalidSpec, message },
    ...others,
  ];
  const conditions = setConditions(instance.status?.conditions, inputs, instance.generation, now);
  return { status: { observedGeneration: instance.generation, conditions }, events: [] };
}

/** Ready carries a note when figures had to be saturated to stay writable. */
function bounded(status: Neo4jInstanceStatus, generation: number, now: Date): Neo4jInstanceStatus {
  const { status: within, saturated } = boundedCounts(status);
  const ready = within.conditions?.find((c) => c.type === ConditionType.Ready);
  if (saturated.length === 0 || !ready) return within;
  const conditions = setConditions(within.conditions, [{ type: ready.type, status: ready.status, reason: ready.reason, message: `${ready.message}; ${saturationNote(saturated)}` }], generation, now);
  return { ...within, conditions };
}

/**
 * The status of an instance from its spec, the budgets that name it and, with spec.bolt, the latest
 * observation of the live server (DESIGN sections 1 to 3). An operator that watches only some
 * namespaces sees only part of the budgets: it leaves the instance's status alone (its sums would
 * undercount, and two such operators would overwrite each other's view).
 */
export function decideInstance(
  instance: InstanceFacts,
  budgets: readonly BudgetFacts[],
  now: Date,
  observation?: InstanceObservation,
  scope: WatchScope = CLUSTER_SCOPE,
): Decision<Neo4jInstanceStatus> {
  if (!isClusterWide(scope)) {
    return {
      status: instance.status ?? {},
      events: [],
      leaveAlone: `watching only namespaces ${scope.namespaces.join(', ')}: the instance's totals belong to an operator that watches all namespaces`,
    };
  }
  if (!instance.spec.ok) return invalidSpec(instance, instance.spec.message, now);
  const spec = instance.spec.value;
  const observed = spec.bolt ? stableObserved(instance.status?.observed, observedStatus(observation, spec.connectionLimit)) : undefined;
  const sums = instanceSums(spec, budgets, observed?.connections);
  const { verdict } = sums;
  const views = { planned: verdict.planned, current: verdict.current, peak: verdict.peak };
  const message = capacityMessage({ ...views, ...(observed ? { observed } : {}) }, spec);
  const overWarning = levelRank(verdict.level) >= levelRank('Warning');
  const overCritical = levelRank(verdict.level) >= levelRank('Critical');
  const inputs: ConditionInput[] = [
    { type: ConditionType.Ready, status: 'True', reason: Reason.Reconciled, message: `${sums.budgets} budgets added up` },
    // Stalled stays False (not absent) while the spec can be acted on: explicit for kubectl wait and the condition gauge.
    { type: ConditionType.Stalled, status: 'False', reason: Reason.SpecAccepted, message: 'the spec can be acted on' },
    { type: ConditionType.CapacityWarning, status: overWarning ? 'True' : 'False', reason: verdict.level, message },
    { type: ConditionType.CapacityCritical, status: overCritical ? 'True' : 'False', reason: verdict.level, message },
    {
      type: ConditionType.PeakExceedsLimit,
      status: verdict.peakExceedsLimit ? 'True' : 'False',
      reason: verdict.peakExceedsLimit ? Reason.PeakOverLimit : Reason.PeakWithinLimit,
      message: `at HPA maximum and rollout surge the budgets could hold ${verdict.peak.connections} of ${spec.connectionLimit} connections (${verdict.peak.percent} %)`,
    },
    ...(spec.bolt ? observationConditions(observation) : []),
  ];
  // Without spec.bolt the observation conditions go: nothing is watched, so nothing is claimed.
  const kept = spec.bolt ? instance.status?.conditions : instance.status?.conditions?.filter((c) => !OBSERVATION_CONDITIONS.includes(c.type));
  const conditions: Condition[] = setConditions(kept, inputs, instance.generation, now);
  const status: Neo4jInstanceStatus = {
    observedGeneration: instance.generation,
    level: verdict.level,
    budgets: sums.budgets,
    ...views,
    ...(observed ? { observed } : {}),
    conditions,
  };
  return { status: bounded(status, instance.generation, now), events: levelEvent(instance.status?.level, verdict.level, message) };
}
