import { isDeepStrictEqual } from 'node:util';
import { ConditionType, Reason, reasonFromCode } from '../../api/conditions.ts';
import type { Neo4jInstanceStatus } from '../../api/neo4j-instance.ts';
import type { ConditionInput } from '../../api/set-condition.ts';
import { toKubeTime } from '../../api/set-condition.ts';
import { percentOf } from '../../budget/arithmetic.ts';
import type { InstanceObservation } from './instance-poller.ts';

type ObservedStatus = NonNullable<Neo4jInstanceStatus['observed']>;

/** status.observed from a reachable observation (undefined otherwise: no stale figures). */
export function observedStatus(observation: InstanceObservation | undefined, connectionLimit: number): ObservedStatus | undefined {
  if (!observation?.reachable) return undefined;
  const f = observation.observation.figures;
  return {
    connections: f.connections,
    ...(f.running === undefined ? {} : { running: f.running }),
    ...(f.idle === undefined ? {} : { idle: f.idle }),
    unattributed: f.unattributed,
    ...(f.openedPerMinute === undefined ? {} : { openedPerMinute: f.openedPerMinute }),
    ...(f.closedPerMinute === undefined ? {} : { closedPerMinute: f.closedPerMinute }),
    percent: percentOf(f.connections, connectionLimit),
    ...(f.threadPoolMaxSize === undefined ? {} : { threadPoolMaxSize: f.threadPoolMaxSize }),
    sampledAt: toKubeTime(new Date(f.sampledAt)),
  };
}

/**
 * Keeps the previously written figures when only the sample time moved, so that a stable instance
 * polled every interval does not write its status every interval.
 */
export function stableObserved(previous: ObservedStatus | undefined, next: ObservedStatus | undefined): ObservedStatus | undefined {
  if (!previous || !next) return next;
  const { sampledAt: _previousAt, ...previousFigures } = previous;
  const { sampledAt: _nextAt, ...nextFigures } = next;
  return isDeepStrictEqual(previousFigures, nextFigures) ? previous : next;
}

/** Reachable, LeakSuspected, HighChurn and ThreadPoolPressure from the latest observation. */
export function observationConditions(observation: InstanceObservation | undefined): ConditionInput[] {
  const unknown = (reason: string, message: string): ConditionInput[] =>
    [ConditionType.LeakSuspected, ConditionType.HighChurn, ConditionType.ThreadPoolPressure].map((type) => ({ type, status: 'Unknown', reason, message }));
  if (!observation) {
    const message = 'the instance has not been polled yet';
    return [{ type: ConditionType.Reachable, status: 'Unknown', reason: Reason.NotPolledYet, message }, ...unknown(Reason.NotPolledYet, message)];
  }
  if (!observation.reachable) {
    return [
      { type: ConditionType.Reachable, status: 'False', reason: reasonFromCode(observation.reason), message: `${observation.reason}: ${observation.message}` },
      ...unknown(Reason.Unreachable, 'the last poll did not reach the instance'),
    ];
  }
  const { leak, leakingWorkloads, churn, pressure } = observation.observation;
  const degraded = observation.degraded.map((d) => `${d.figure} unavailable (${d.code})`);
  const leakSuspected = leak.suspected || leakingWorkloads.length > 0;
  // Only an alarm carries live figures: a quiet message that changed with every poll would rewrite the status every poll.
  const leakMessage = leakSuspected
    ? [leak.suspected ? leak.message : undefined, leakingWorkloads.length > 0 ? `growing like a leak: ${leakingWorkloads.join(', ')}` : undefined].filter(Boolean).join('; ')
    : leak.reason === 'NotEnoughSamples'
      ? 'not enough samples yet: the leak window needs at least 10 minutes of polls'
      : 'connections are not growing faster than leakGrowthPercentPerHour';
  return [
    {
      type: ConditionType.Reachable,
      status: 'True',
      reason: Reason.Polled,
      // No live figure here: status.observed carries them, and the operator's own connections (1 or 2,
      // as its pool opens and closes) would rewrite an otherwise stable status on every poll.
      message: ['the last poll reached the instance', ...degraded].join('; '),
    },
    {
      type: ConditionType.LeakSuspected,
      status: leakSuspected ? 'True' : 'False',
      reason: leakSuspected ? Reason.Growing : leak.reason === 'NotEnoughSamples' ? Reason.NotEnoughSamples : Reason.Stable,
      message: leakMessage,
    },
    churn
      ? { type: ConditionType.HighChurn, status: churn.highChurn ? 'True' : 'False', reason: churn.highChurn ? Reason.ChurnHigh : Reason.ChurnLow, message: churn.message }
      : { type: ConditionType.HighChurn, status: 'Unknown', reason: Reason.NotEnoughSamples, message: 'churn needs two samples' },
    {
      type: ConditionType.ThreadPoolPressure,
      status: pressure.status,
      reason: pressure.status === 'True' ? Reason.AboveThreshold : pressure.status === 'False' ? Reason.BelowThreshold : Reason.FigureUnavailable,
      message: pressure.message,
    },
  ];
}
