import type { BoltBudgetSpec, PlanStep } from '../../api/bolt-budget.ts';
import type { CapacitySpec } from '../../budget/instance-verdict.ts';
import type { Level } from '../../api/common.ts';
import { compareText, planRestore, planScaleDown, type RestoreViews, type ScaleCandidate, type ScaleStep } from '../../budget/scale-plan.ts';
import { actedOn, adoptsNow, heldBack, recordOf, type LiveWorkload } from './enforcement-decision.ts';

/** One budget of the instance with what acting on it needs. */
export interface PlanningBudget {
  key: string; // namespace/name
  namespace: string;
  name: string;
  spec: BoltBudgetSpec;
  live: readonly LiveWorkload[];
}

export interface InstancePlans {
  /** The steps Scale budgets apply now: lowering, or giving back when there is room. */
  applied: ScaleStep[];
  /** Per budget, the plan for its status: what Scale does, or in Observe and Flag what it would do. */
  shown: Map<string, PlanStep[]>;
}

/** The original the operator lowered a workload (or its HPA's maximum) from, while its record stands. */
function loweredFrom(namespace: string, live: LiveWorkload): { original: number; value: number } | undefined {
  const acted = actedOn(namespace, live);
  const record = recordOf(acted);
  return record.state === 'lowered' ? { original: record.original, value: acted.value } : undefined;
}

const workloadOrder = new WeakMap<BoltBudgetSpec['workloads'], BoltBudgetSpec['workloads']>();

/** A budget's workloads by kind and name, sorted once per parsed spec. */
function workloadsInOrder(spec: BoltBudgetSpec): BoltBudgetSpec['workloads'] {
  let ordered = workloadOrder.get(spec.workloads);
  if (!ordered) workloadOrder.set(spec.workloads, (ordered = [...spec.workloads].sort((a, b) => compareText(a.kind, b.kind) || compareText(a.name, b.name))));
  return ordered;
}

/** A budget's candidates, in the planner's tie-break order within the budget (kind, then name). */
function candidates(budget: PlanningBudget, level: Level | undefined): { down: ScaleCandidate[]; restore: ScaleCandidate[] } {
  const down: ScaleCandidate[] = [];
  const restore: ScaleCandidate[] = [];
  const adopting = adoptsNow(budget.namespace, budget.live);
  for (const workload of workloadsInOrder(budget.spec)) {
    const live = budget.live.find((w) => w.kind === workload.kind && w.name === workload.name);
    // A value someone else set is adopted and left alone until the level changes (DESIGN section 8).
    if (!live || heldBack(budget.namespace, live, level, adopting)) continue;
    // An HPA's cap cannot go under the HPA's own minimum (nor 1).
    const minReplicas = live.hpa ? Math.max(workload.minReplicas, live.hpa.minReplicas, 1) : workload.minReplicas;
    const base = { key: `${budget.namespace}/${workload.kind}/${workload.name}`, kind: workload.kind, name: workload.name, namespace: budget.namespace, budget: budget.key, poolSize: workload.poolSize, minReplicas, priority: workload.priority };
    down.push({ ...base, live: live.replicas });
    const lowered = loweredFrom(budget.namespace, live);
    // Giving back an HPA raises its maximum: count the whole rise as replicas that may come.
    if (lowered) restore.push({ ...base, live: lowered.value, original: lowered.original });
  }
  return { down, restore };
}

/**
 * Connections a capped HPA may already add by scaling up to its cap: a restore counts from there, or
 * the rise it allows would be underestimated and the cap would come back with the load.
 */
function hpaHeadroom(budgets: readonly PlanningBudget[]): number {
  let headroom = 0;
  for (const budget of budgets) {
    for (const workload of budget.spec.workloads) {
      const live = budget.live.find((w) => w.kind === workload.kind && w.name === workload.name);
      if (live?.hpa && loweredFrom(budget.namespace, live) && actedOn(budget.namespace, live).hpa) headroom += Math.max(0, live.hpa.maxReplicas - live.replicas) * workload.poolSize;
    }
  }
  return headroom;
}

const toPlanStep = (step: ScaleStep, prefix = ''): PlanStep => ({ kind: step.kind, name: step.name, from: step.from, to: step.to, reason: `${prefix}${step.reason}`.slice(0, 1024) });

/**
 * The instance's scale plan over the budgets in Scale mode, and for every other budget what Scale would
 * do if it were in Scale mode too. Lowered workloads with nothing pending show the change in effect.
 * `only` limits the shown plans to one budget's: a budget's reconcile reads its own, and each of the
 * others' costs a scale-down plan over the whole instance.
 */
export function instancePlans(spec: CapacitySpec, views: RestoreViews, level: Level | undefined, budgets: readonly PlanningBudget[], only?: string): InstancePlans {
  const currentTotal = views.current;
  // Budgets in key order: the planner then finds its tie-break order in one pass instead of sorting.
  const scaling = budgets.filter((b) => b.spec.enforcement === 'Scale').sort((a, b) => compareText(a.key, b.key));
  const scalingCandidates = scaling.map((budget) => candidates(budget, level));
  const down = planScaleDown(spec, currentTotal, scalingCandidates.flatMap((c) => c.down));
  // A restore keeps every view in room: planned, current (with what capped HPAs may still add) and observed.
  const restoreViews = { ...views, current: currentTotal + hpaHeadroom(scaling) };
  const applied = down.length > 0 ? down : planRestore(spec, restoreViews, scalingCandidates.flatMap((c) => c.restore));

  const shown = new Map<string, PlanStep[]>();
  for (const budget of budgets) {
    if (only !== undefined && budget.key !== only) continue;
    const own = (steps: readonly ScaleStep[]): ScaleStep[] => steps.filter((s) => s.budget === budget.key);
    let steps: PlanStep[];
    if (budget.spec.enforcement === 'Scale') {
      steps = own(applied).map((s) => toPlanStep(s));
    } else {
      // This budget's candidates where its key puts them among the Scale budgets'.
      const at = scaling.findIndex((b) => compareText(b.key, budget.key) > 0);
      const groups = scalingCandidates.map((c) => c.down);
      groups.splice(at === -1 ? groups.length : at, 0, candidates(budget, level).down);
      const hypothetical = planScaleDown(spec, currentTotal, groups.flat());
      steps = own(hypothetical).map((s) => toPlanStep(s, `would, in Scale mode: `));
    }
    for (const live of budget.live) {
      const lowered = loweredFrom(budget.namespace, live);
      if (!lowered || lowered.original <= lowered.value || steps.some((s) => s.kind === live.kind && s.name === live.name)) continue;
      const what = actedOn(budget.namespace, live).hpa ? `HPA ${live.hpa?.name ?? ''} maxReplicas capped` : 'replicas lowered';
      steps.push({ kind: live.kind, name: live.name, from: lowered.original, to: lowered.value, reason: `${what}; given back once every view of the instance stays 10 points under its warning line` });
    }
    shown.set(budget.key, steps);
  }
  return { applied, shown };
}
