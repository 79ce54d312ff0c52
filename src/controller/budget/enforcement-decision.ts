import { Annotation, parseReplicas } from '../../api/annotations.ts';
import type { Level } from '../../api/common.ts';
import { isOverWarning } from '../../budget/levels.ts';
import type { ActionTarget, AnnotationPatch, WorkloadKind, WorkloadWrite } from '../../k8s/workload-write.ts';

export type { ActionTarget, AnnotationPatch, WorkloadKind };

/** What enforcement does: the writes (src/k8s/workload-write.ts says how they are made) and the events that report them. */
export type Action = WorkloadWrite | { type: 'event'; target: ActionTarget; eventType: 'Normal' | 'Warning'; reason: string; note: string };

/** A workload as the caches show it, with the HPA that targets it. */
export interface LiveWorkload {
  kind: WorkloadKind;
  name: string;
  replicas: number;
  resourceVersion: string;
  annotations: Readonly<Record<string, string>>;
  hpa?: { name: string; minReplicas: number; maxReplicas: number; resourceVersion: string; annotations: Readonly<Record<string, string>> };
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
  /** True while the budget is being deleted or its spec cannot be read: it gives back what it changed. */
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

/** The object whose value Scale changes for a workload: its HPA's maxReplicas, or its own replicas. */
interface Acted {
  target: ActionTarget;
  hpa: boolean;
  value: number;
  resourceVersion: string;
  annotations: Readonly<Record<string, string>>;
  originalKey: string;
  appliedKey: string;
}

export function actedOn(namespace: string, workload: LiveWorkload): Acted {
  // A workload scaled before its HPA appeared keeps being handled on itself until it is given back.
  if (workload.hpa && workload.annotations[Annotation.ChangedBy] === undefined) {
    const { hpa } = workload;
    return {
      target: { kind: 'HorizontalPodAutoscaler', namespace, name: hpa.name },
      hpa: true,
      value: hpa.maxReplicas,
      resourceVersion: hpa.resourceVersion,
      annotations: hpa.annotations,
      originalKey: Annotation.OriginalMaxReplicas,
      appliedKey: Annotation.AppliedMaxReplicas,
    };
  }
  return {
    target: { kind: workload.kind, namespace, name: workload.name },
    hpa: false,
    value: workload.replicas,
    resourceVersion: workload.resourceVersion,
    annotations: workload.annotations,
    originalKey: Annotation.OriginalReplicas,
    appliedKey: Annotation.AppliedReplicas,
  };
}

/**
 * What the operator's record on an object says about its live value (DESIGN section 8, "People win"):
 * - `lowered`: the live value is the one the operator wrote, under the original;
 * - `overridden`: someone else wrote another value since, the original included (GitOps self-heal
 *   puts the declared value back): the value and its record travel in one patch, so a live value other
 *   than the applied one was never the operator's;
 * - `settled`: a record without an applied value (written by an earlier version, which annotated first
 *   and scaled after) whose live value is the original again: a give-back that stopped before its
 *   annotations were removed; or a record that cannot be read. Only the annotations are left to clean up;
 * - `none`: no record.
 */
export type ChangeRecord =
  | { state: 'none' }
  | { state: 'lowered'; budget: string; original: number; applied: number }
  | { state: 'overridden'; budget: string; applied: number | undefined }
  | { state: 'settled'; budget: string };

export function recordOf(acted: Acted): ChangeRecord {
  const budget = acted.annotations[Annotation.ChangedBy];
  if (budget === undefined) return { state: 'none' };
  const original = parseReplicas(acted.annotations[acted.originalKey]);
  if (original === undefined) return { state: 'settled', budget };
  const recorded = parseReplicas(acted.annotations[acted.appliedKey]);
  if (recorded === undefined && acted.value === original) return { state: 'settled', budget };
  // Written before the applied value was recorded: a value under the original is taken as the operator's.
  const applied = recorded ?? (acted.value < original ? acted.value : undefined);
  if (applied !== acted.value) return { state: 'overridden', budget, applied };
  return { state: 'lowered', budget, original, applied };
}

/** The level at which a budget adopted someone else's value, when the object carries that mark. */
export function adoptionOf(acted: Acted): { budget: string; level: string } | undefined {
  const raw = acted.annotations[Annotation.OverrideAdopted];
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as { budget?: unknown; level?: unknown };
    return { budget: typeof parsed.budget === 'string' ? parsed.budget : '', level: typeof parsed.level === 'string' ? parsed.level : '' };
  } catch {
    return { budget: '', level: '' };
  }
}

/**
 * True while someone else's value on one of the budget's workloads is being adopted in this pass. Such a
 * change often moves the level (a GitOps sync reverts several objects at once): that move is not the
 * "later level transition" that ends the adoptions already held, or each override would release the
 * others and the operator would cut them again.
 */
export function adoptsNow(namespace: string, live: readonly LiveWorkload[]): boolean {
  return live.some((workload) => recordOf(actedOn(namespace, workload)).state === 'overridden');
}

/**
 * True while Scale must leave the workload alone: someone else changed the value the operator wrote, or
 * the operator adopted such a change and the instance's level has not changed since (or changed only
 * with another adoption, `adopting`).
 */
export function heldBack(namespace: string, workload: LiveWorkload, level: Level | undefined, adopting = false): boolean {
  const acted = actedOn(namespace, workload);
  if (recordOf(acted).state === 'overridden') return true;
  const adoption = adoptionOf(acted);
  return adoption !== undefined && (adopting || adoption.level === level);
}

const forget = (acted: Acted): AnnotationPatch => ({ [acted.originalKey]: null, [acted.appliedKey]: null, [Annotation.ChangedBy]: null });

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

/** A replica change of the acted-on object with its record, in one conditional patch. */
function write(acted: Acted, value: number, annotations: AnnotationPatch): Action {
  const { target, resourceVersion } = acted;
  if (target.kind === 'HorizontalPodAutoscaler') return { type: 'setMaxReplicas', target: { ...target, kind: 'HorizontalPodAutoscaler' }, maxReplicas: value, annotations, resourceVersion };
  return { type: 'scale', target: { ...target, kind: target.kind }, replicas: value, annotations, resourceVersion };
}

/** Lowers the workload (or caps its HPA), recording the original and the value written with the change. */
function lowerActions(input: EnforcementInput, workload: LiveWorkload, acted: Acted, record: ChangeRecord, step: BudgetStep): Action[] {
  // An HPA's maxReplicas may not go under its own minReplicas (nor under 1): the API server refuses it.
  const to = acted.hpa ? Math.max(step.to, workload.hpa?.minReplicas ?? 1, 1) : step.to;
  if (acted.value <= to) return [];
  const original = record.state === 'lowered' ? record.original : acted.value;
  const what = acted.hpa ? 'maxReplicas' : 'replicas';
  return [
    write(acted, to, { [acted.originalKey]: String(original), [acted.appliedKey]: String(to), [Annotation.ChangedBy]: input.budget }),
    {
      type: 'event',
      target: acted.target,
      eventType: 'Warning',
      reason: acted.hpa ? 'MaxReplicasCapped' : 'ScaledDown',
      note: `${what} ${acted.value} -> ${to}${acted.hpa ? ` for ${id(workload)}` : ''}: ${step.reason}`,
    },
  ];
}

/** Gives back (all the way to the original, or as far as `to` when a step says so) in one patch with the record. */
function restoreActions(acted: Acted, record: Extract<ChangeRecord, { state: 'lowered' }>, to: number | undefined, reason: string): Action[] {
  const value = Math.min(to ?? record.original, record.original);
  if (value <= acted.value) return [];
  const done = value >= record.original;
  return [
    write(acted, value, done ? forget(acted) : { [acted.appliedKey]: String(value) }),
    {
      type: 'event',
      target: acted.target,
      eventType: 'Normal',
      reason: acted.hpa ? 'MaxReplicasRestored' : 'Restored',
      note: `${acted.hpa ? 'maxReplicas' : 'replicas'} ${acted.value} -> ${value}: ${reason}`,
    },
  ];
}

/** Someone else's value stays: forget the original, mark the adoption (while in charge), say so once. */
function adoptActions(input: EnforcementInput, acted: Acted, record: Extract<ChangeRecord, { state: 'overridden' }>, inCharge: boolean): Action[] {
  const level = input.instance?.level ?? 'Unknown';
  const mark: AnnotationPatch = inCharge ? { [Annotation.OverrideAdopted]: JSON.stringify({ budget: input.budget, level }) } : {};
  const what = acted.hpa ? 'maxReplicas' : 'replicas';
  const wrote = record.applied === undefined ? '' : ` (BoltBudget ${input.namespace}/${input.budget} had written ${record.applied})`;
  const until = inCharge ? `; left alone until Neo4jInstance ${input.instance?.name ?? ''} changes level (now ${level})` : '';
  return [
    { type: 'annotate', target: acted.target, annotations: { ...forget(acted), ...mark } },
    { type: 'event', target: acted.target, eventType: 'Normal', reason: 'OverrideAdopted', note: `${what} set to ${acted.value} by someone else${wrote}: adopted, never reverted${until}` },
  ];
}

/** One workload in Scale's hands (or leaving them): adopt, clean up, lower or give back. */
function scaleActions(input: EnforcementInput, workload: LiveWorkload, inCharge: boolean, step: BudgetStep | undefined, adopting: boolean): Action[] {
  const acted = actedOn(input.namespace, workload);
  let record = recordOf(acted);
  if (record.state !== 'none' && record.budget !== input.budget) return []; // another budget's change
  const actions: Action[] = [];
  if (record.state === 'overridden') return adoptActions(input, acted, record, inCharge);
  if (record.state === 'settled') {
    actions.push({ type: 'annotate', target: acted.target, annotations: forget(acted) });
    record = { state: 'none' };
  }
  const adoption = adoptionOf(acted);
  if (adoption?.budget === input.budget) {
    // Held until the level changes; a later transition (or the budget letting go) ends the adoption.
    const level = input.instance?.level ?? 'Unknown';
    if (inCharge && adoption.level === level) return actions;
    if (inCharge && adopting) {
      // The level moved with another adoption in this pass: still held, at the new level.
      actions.push({ type: 'annotate', target: acted.target, annotations: { [Annotation.OverrideAdopted]: JSON.stringify({ budget: input.budget, level }) } });
      return actions;
    }
    actions.push({ type: 'annotate', target: acted.target, annotations: { [Annotation.OverrideAdopted]: null } });
  }
  if (!inCharge) {
    if (record.state === 'lowered') actions.push(...restoreActions(acted, record, undefined, `BoltBudget ${input.namespace}/${input.budget} no longer scales it`));
    return actions;
  }
  if (!step) return actions;
  if (step.to < step.from) actions.push(...lowerActions(input, workload, acted, record, step));
  else if (step.to > step.from && record.state === 'lowered') actions.push(...restoreActions(acted, record, step.to, step.reason));
  return actions;
}

/**
 * What a budget does to its workloads (DESIGN sections 4 and 8): flag them while the instance is over its
 * warning line, lower them by the plan in Scale mode, give back what it lowered when the plan says there
 * is room, give back everything it changed when it stops being in charge (deleted, invalid, no longer
 * Scale, workload no longer listed), and never fight a value someone else set after it.
 */
export function enforcementActions(input: EnforcementInput): Action[] {
  const listed = new Set(input.declared.map(id));
  const steps = new Map(input.steps.map((step) => [id(step), step]));
  const adopting = adoptsNow(input.namespace, input.live);
  const actions: Action[] = [];
  for (const workload of input.live) {
    const isListed = listed.has(id(workload));
    actions.push(...flagActions(input, workload, isListed));
    const inCharge = isListed && !input.deleting && input.enforcement === 'Scale';
    actions.push(...scaleActions(input, workload, inCharge, steps.get(id(workload)), adopting));
  }
  return actions;
}
