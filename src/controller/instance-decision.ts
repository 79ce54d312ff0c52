import type { Level } from '../api/common.ts';
import { ConditionType, OBSERVATION_CONDITIONS, Reason, type Condition } from '../api/conditions.ts';
import type { Neo4jInstanceSpec, Neo4jInstanceStatus } from '../api/neo4j-instance.ts';
import { setConditions, type ConditionInput } from '../api/set-condition.ts';
import { isOverWarning, levelRank } from '../budget/levels.ts';
import type { BudgetFacts, Decision, EventSpec, InstanceFacts } from './facts.ts';
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

function invalidSpec(instance: InstanceFacts, message: string, now: Date): Decision<Neo4jInstanceStatus> {
  const conditions = setConditions(instance.status?.conditions, [{ type: ConditionType.Ready, status: 'False', reason: Reason.InvalidSpec, message }], instance.generation, now);
  return { status: { ...instance.status, observedGeneration: instance.generation, conditions }, events: [] };
}

/**
 * The status of an instance from its spec, the budgets that name it and, with spec.bolt, the latest
 * observation of the live server (DESIGN sections 1 to 3).
 */
export function decideInstance(instance: InstanceFacts, budgets: readonly BudgetFacts[], now: Date, observation?: InstanceObservation): Decision<Neo4jInstanceStatus> {
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
  return { status, events: levelEvent(instance.status?.level, verdict.level, message) };
}
