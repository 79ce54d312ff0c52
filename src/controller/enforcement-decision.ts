import { Annotation, parseReplicas } from '../api/annotations.ts';
import type { Level } from '../api/common.ts';
import { isOverWarning } from '../budget/levels.ts';

export type WorkloadKind = 'Deployment' | 'StatefulSet';

export interface ActionTarget {
  kind: WorkloadKind | 'HorizontalPodAutoscaler';
  namespace: string;
  name: string;
}

export type Action =
  | { type: 'annotate'; target: ActionTarget; annotations: Record<string, string | null> }
  | { type: 'scale'; target: ActionTarget & { kind: WorkloadKind }; replicas: number }
  | { type: 'setMaxReplicas'; target: ActionTarget & { kind: 'HorizontalPodAutoscaler' }; maxReplicas: number }
  | { type: 'event'; target: ActionTarget; eventType: 'Normal' | 'Warning'; reason: string; note: string };

/** A workload as the caches show it, with the HPA that targets it. */
export interface LiveWorkload {
  kind: WorkloadKind;
  name: string;
  replicas: number;
  annotations: Readonly<Record<string, string>>;
  hpa?: { name: string; minReplicas: number; maxReplicas: number; annotations: Readonly<Record<string, string>> };
}

/** One replica change of the plan for this budget: lower (to < from) or give back (to > from). */
export interface BudgetStep {
  kind: WorkloadKind;
  name: string;
  from: number;
  to: number;
  reason: string;
}

export interface EnforcementInput {
  namespace: string;
  budget: string;
  enforcement: 'Observe' | 'Flag' | 'Scale';
  deleting: boolean;
  instance?: { name: string; level: Level; percent: number };
  /** The workloads the budget lists. */
  declared: readonly { kind: WorkloadKind; name: string }[];
  /** The live workloads the budget lists or once changed or flagged. */
  live: readonly LiveWorkload[];
  /** This budget's part of the instance's scale plan (only applied in Scale mode). */
  steps: readonly BudgetStep[];
}

const id = (w: { kind: string; name: string }): string => `${w.kind}/${w.name}`;

/** The budget that set an over-budget flag, from its JSON value. */
export function flagOwner(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return (JSON.parse(value) as { budget?: string }).budget;
  } catch {
    return undefined;
  }
}

function levelOfFlag(value: string | undefined): string | undefined {
  try {
    return value === undefined ? undefined : (JSON.parse(value) as { level?: string }).level;
  } catch {
    return undefined;
  }
}

function flagActions(input: EnforcementInput, workload: LiveWorkload, listed: boolean): Action[] {
  const target: ActionTarget = { kind: workload.kind, namespace: input.namespace, name: workload.name };
  const current = workload.annotations[Annotation.OverBudget];
  if (current !== undefined && flagOwner(current) !== input.budget) return []; // another budget's flag
  const wanted =
    listed && !input.deleting && input.enforcement !== 'Observe' && input.instance && isOverWarning(input.instance.level)
      ? JSON.stringify({ budget: input.budget, instance: input.instance.name, level: input.instance.level, percent: input.instance.percent })
      : undefined;
  if (wanted === current) return [];
  const actions: Action[] = [{ type: 'annotate', target, annotations: { [Annotation.OverBudget]: wanted ?? null } }];
  if (wanted && input.instance && levelOfFlag(current) !== input.instance.level) {
    actions.push({
      type: 'event',
      target,
      eventType: 'Warning',
      reason: 'OverBudget',
      note: `Neo4jInstance ${input.instance.name} is ${input.instance.level} at ${input.instance.percent} %; BoltBudget ${input.namespace}/${input.budget} lists this workload`,
    });
  } else if (!wanted) {
    actions.push({ type: 'event', target, eventType: 'Normal', reason: 'WithinBudget', note: `no longer over budget (BoltBudget ${input.namespace}/${input.budget})` });
  }
  return actions;
}

/** Lowers a workload, remembering its original value first, so a crash in between loses nothing. */
function lowerActions(input: EnforcementInput, workload: LiveWorkload, step: BudgetStep): Action[] {
  const changedBy = { [Annotation.ChangedBy]: input.budget };
  if (workload.hpa) {
    const hpa = { kind: 'HorizontalPodAutoscaler' as const, namespace: input.namespace, name: workload.hpa.name };
    // An HPA's maxReplicas may not go under its own minReplicas (nor under 1): the API server refuses it.
    const to = Math.max(step.to, workload.hpa.minReplicas, 1);
    if (workload.hpa.maxReplicas <= to) return [];
    const original = workload.hpa.annotations[Annotation.OriginalMaxReplicas] ?? String(workload.hpa.maxReplicas);
    return [
      { type: 'annotate', target: hpa, annotations: { [Annotation.OriginalMaxReplicas]: original, ...changedBy } },
      { type: 'setMaxReplicas', target: hpa, maxReplicas: to },
      { type: 'event', target: hpa, eventType: 'Warning', reason: 'MaxReplicasCapped', note: `maxReplicas ${workload.hpa.maxReplicas} -> ${to} for ${id(workload)}: ${step.reason}` },
    ];
  }
  const target = { kind: workload.kind, namespace: input.namespace, name: workload.name };
  if (workload.replicas <= step.to) return [];
  const original = workload.annotations[Annotation.OriginalReplicas] ?? String(workload.replicas);
  return [
    { type: 'annotate', target, annotations: { [Annotation.OriginalReplicas]: original, ...changedBy } },
    { type: 'scale', target, replicas: step.to },
    { type: 'event', target, eventType: 'Warning', reason: 'ScaledDown', note: `replicas ${workload.replicas} -> ${step.to}: ${step.reason}` },
  ];
}

/** Gives replicas back (all the way to the original, or as far as `to` when a step says so). */
function restoreActions(input: EnforcementInput, workload: LiveWorkload, to: number | undefined, reason: string): Action[] {
  if (workload.hpa && workload.hpa.annotations[Annotation.ChangedBy] === input.budget) {
    const original = parseReplicas(workload.hpa.annotations[Annotation.OriginalMaxReplicas]);
    const hpa = { kind: 'HorizontalPodAutoscaler' as const, namespace: input.namespace, name: workload.hpa.name };
    // Without a readable original there is nothing safe to restore to: let go, change nothing.
    if (original === undefined) return [{ type: 'annotate', target: hpa, annotations: { [Annotation.OriginalMaxReplicas]: null, [Annotation.ChangedBy]: null } }];
    const value = Math.min(to ?? original, original);
    const done = value >= original;
    return [
      { type: 'setMaxReplicas', target: hpa, maxReplicas: value },
      ...(done ? [{ type: 'annotate' as const, target: hpa, annotations: { [Annotation.OriginalMaxReplicas]: null, [Annotation.ChangedBy]: null } }] : []),
      { type: 'event', target: hpa, eventType: 'Normal', reason: 'MaxReplicasRestored', note: `maxReplicas ${workload.hpa.maxReplicas} -> ${value}: ${reason}` },
    ];
  }
  if (workload.annotations[Annotation.ChangedBy] !== input.budget) return [];
  const original = parseReplicas(workload.annotations[Annotation.OriginalReplicas]);
  const target = { kind: workload.kind, namespace: input.namespace, name: workload.name };
  if (original === undefined) return [{ type: 'annotate', target, annotations: { [Annotation.OriginalReplicas]: null, [Annotation.ChangedBy]: null } }];
  const value = Math.min(to ?? original, original);
  const done = value >= original;
  return [
    { type: 'scale', target, replicas: value },
    ...(done ? [{ type: 'annotate' as const, target, annotations: { [Annotation.OriginalReplicas]: null, [Annotation.ChangedBy]: null } }] : []),
    { type: 'event', target, eventType: 'Normal', reason: 'Restored', note: `replicas ${workload.replicas} -> ${value}: ${reason}` },
  ];
}

function loweredByBudget(workload: LiveWorkload, budget: string): boolean {
  return workload.annotations[Annotation.ChangedBy] === budget || workload.hpa?.annotations[Annotation.ChangedBy] === budget;
}

/**
 * What a budget does to its workloads (DESIGN section 4): flag them while the instance is over its
 * warning line, lower them by the plan in Scale mode, give back what it lowered when the plan says there
 * is room, and give back everything it changed when it stops being in charge (deleted, no longer Scale,
 * workload no longer listed).
 */
export function enforcementActions(input: EnforcementInput): Action[] {
  const listed = new Set(input.declared.map(id));
  const steps = new Map(input.steps.map((step) => [id(step), step]));
  const actions: Action[] = [];
  for (const workload of input.live) {
    const isListed = listed.has(id(workload));
    actions.push(...flagActions(input, workload, isListed));
    const inCharge = isListed && !input.deleting && input.enforcement === 'Scale';
    if (!inCharge) {
      if (loweredByBudget(workload, input.budget)) actions.push(...restoreActions(input, workload, undefined, `BoltBudget ${input.namespace}/${input.budget} no longer scales it`));
      continue;
    }
    const step = steps.get(id(workload));
    if (!step) continue;
    if (step.to < step.from) actions.push(...lowerActions(input, workload, step));
    else if (step.to > step.from && loweredByBudget(workload, input.budget)) actions.push(...restoreActions(input, workload, step.to, step.reason));
  }
  return actions;
}
