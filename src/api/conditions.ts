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
} as const;
export type ReasonName = (typeof Reason)[keyof typeof Reason];
