import { z } from 'zod';

/** metav1.Condition, as kstatus, kubectl wait, Argo CD and Flux read it. */
export const condition = z.object({
  type: z.string().min(1).max(316).regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/),
  status: z.enum(['True', 'False', 'Unknown']),
  observedGeneration: z.int().min(0).optional(),
  lastTransitionTime: z.iso.datetime({ offset: false }),
  reason: z.string().min(1).max(1024).regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/),
  message: z.string().max(32768),
});
export type Condition = z.infer<typeof condition>;
export type ConditionStatus = Condition['status'];

export const conditions = z
  .array(condition)
  .max(32)
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });

/** Condition types. */
export const ConditionType = {
  Ready: 'Ready',
  /** kstatus: True when the spec cannot be acted on until someone changes it (Flux, Helm 4 and kstatus report Failed). */
  Stalled: 'Stalled',
  WithinBudget: 'WithinBudget',
  CapacityWarning: 'CapacityWarning',
  CapacityCritical: 'CapacityCritical',
  PeakExceedsLimit: 'PeakExceedsLimit',
  Reachable: 'Reachable',
  LeakSuspected: 'LeakSuspected',
  HighChurn: 'HighChurn',
  ThreadPoolPressure: 'ThreadPoolPressure',
} as const;
export type ConditionTypeName = (typeof ConditionType)[keyof typeof ConditionType];

/** Reasons: CamelCase constants so that tools and alerts can match on them. */
export const Reason = {
  Reconciled: 'Reconciled',
  /** Stalled False: the spec (and the instance it names) can be acted on. */
  SpecAccepted: 'SpecAccepted',
  InstanceNotFound: 'InstanceNotFound',
  InstanceInvalid: 'InstanceInvalid',
  WorkloadFound: 'WorkloadFound',
  WorkloadMissing: 'WorkloadMissing',
  InvalidSpec: 'InvalidSpec',
  BelowThreshold: 'BelowThreshold',
  AboveThreshold: 'AboveThreshold',
  PeakWithinLimit: 'PeakWithinLimit',
  PeakOverLimit: 'PeakOverLimit',
  Healthy: 'Healthy',
  Warning: 'Warning',
  Critical: 'Critical',
  Exceeded: 'Exceeded',
  Polled: 'Polled',
  NotPolledYet: 'NotPolledYet',
  Unreachable: 'Unreachable',
  NotEnoughSamples: 'NotEnoughSamples',
  Growing: 'Growing',
  Stable: 'Stable',
  ChurnHigh: 'ChurnHigh',
  ChurnLow: 'ChurnLow',
  FigureUnavailable: 'FigureUnavailable',
  PoolOverrun: 'PoolOverrun',
} as const;

/** The reasons for Stalled=True: nothing the operator can do until the spec or the instance it names changes. */
export const STALLED_REASONS: readonly string[] = [Reason.InvalidSpec, Reason.InstanceNotFound, Reason.InstanceInvalid];

/** The observation conditions, present only on instances with spec.bolt. */
export const OBSERVATION_CONDITIONS: readonly string[] = [ConditionType.Reachable, ConditionType.LeakSuspected, ConditionType.HighChurn, ConditionType.ThreadPoolPressure];

/** A condition reason from a driver or server error code: its last segment ("Neo.ClientError.Security.Unauthorized" -> "Unauthorized"). */
export function reasonFromCode(code: string): string {
  const last = code.split('.').at(-1)?.replace(/[^A-Za-z0-9_]/g, '') ?? '';
  return /^[A-Za-z]/.test(last) ? last : 'Unreachable';
}
export type ReasonName = (typeof Reason)[keyof typeof Reason];
