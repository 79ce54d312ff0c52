import type { Condition, ConditionStatus } from './conditions.ts';

export interface ConditionInput {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

/** Kubernetes timestamps carry whole seconds; a fractional one would differ on every write. */
export function toKubeTime(now: Date): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.Condition's message limit: a longer message would make the whole status unwritable (422). */
export const MAX_CONDITION_MESSAGE = 32_768;

/** The message cut to the schema's limit (JavaScript lengths count UTF-16 units, never fewer than the API server's characters). */
export function boundedMessage(message: string): string {
  return message.length <= MAX_CONDITION_MESSAGE ? message : `${message.slice(0, MAX_CONDITION_MESSAGE - 1)}…`;
}

/**
 * The conditions with `next` set: lastTransitionTime moves only when the status changes, and
 * observedGeneration is always the generation just reconciled. The input is never mutated.
 */
export function setCondition(existing: readonly Condition[] | undefined, next: ConditionInput, generation: number, now: Date): Condition[] {
  const conditions = [...(existing ?? [])];
  const index = conditions.findIndex((condition) => condition.type === next.type);
  const previous = index >= 0 ? conditions[index] : undefined;
  const updated: Condition = {
    type: next.type,
    status: next.status,
    observedGeneration: generation,
    lastTransitionTime: previous && previous.status === next.status ? previous.lastTransitionTime : toKubeTime(now),
    reason: next.reason,
    message: boundedMessage(next.message),
  };
  if (index >= 0) conditions[index] = updated;
  else conditions.push(updated);
  return conditions;
}

/** Sets several conditions in order. */
export function setConditions(existing: readonly Condition[] | undefined, next: readonly ConditionInput[], generation: number, now: Date): Condition[] {
  return next.reduce<Condition[]>((conditions, input) => setCondition(conditions, input, generation, now), [...(existing ?? [])]);
}
