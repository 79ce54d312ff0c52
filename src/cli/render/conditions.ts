import { ConditionType, type Condition } from '../../api/conditions.ts';

/** Conditions whose good state is True; every other type is good while False. */
const TRUE_IS_FINE: readonly string[] = [ConditionType.Ready, ConditionType.Reachable, ConditionType.WithinBudget];

/**
 * The conditions worth a person's attention, in the order written: Ready, Reachable or WithinBudget
 * that are not True (Reachable Unknown is "not polled yet"), and any other condition that is True
 * (Stalled, CapacityWarning, CapacityCritical, PeakExceedsLimit, LeakSuspected, HighChurn,
 * ThreadPoolPressure). An alarm that is Unknown only echoes Reachable (not polled, unreachable) or a
 * figure the server does not give, so it is left out.
 */
export function notFineConditions(conditions: readonly Condition[] | undefined): Condition[] {
  return (conditions ?? []).filter((c) => (TRUE_IS_FINE.includes(c.type) ? c.status !== 'True' : c.status === 'True'));
}
