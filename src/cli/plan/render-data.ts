import { stringify } from 'yaml';
import type { Plan, PlannedBudgetStatus, PlannedInstanceStatus } from './compute-plan.ts';

/** `-o json` and `-o yaml`: each status exactly as the operator writes it, without what only a cluster gives. */
export interface PlanDocument {
  instances: { name: string; status: PlannedInstanceStatus }[];
  budgets: { namespace: string; name: string; status: PlannedBudgetStatus }[];
}

export function planDocument(plan: Plan): PlanDocument {
  return {
    instances: plan.instances.map(({ name, status }) => ({ name, status })),
    budgets: plan.budgets.map(({ namespace, name, status }) => ({ namespace, name, status })),
  };
}

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(planDocument(plan), null, 2)}\n`;
}

export function renderYaml(plan: Plan): string {
  return stringify(planDocument(plan));
}
