import type { Neo4jInstanceSpec } from '../../api/neo4j-instance.ts';
import { instanceVerdict, type InstanceVerdict } from '../../budget/instance-verdict.ts';
import { addTotals, sumRows, ZERO_TOTALS, type Totals } from '../../budget/totals.ts';
import { workloadRow, type WorkloadRow } from '../../budget/workload-row.ts';
import { budgetKey, type BudgetFacts } from '../facts.ts';

/** Everything an instance adds up: rows per budget, the sums and the verdict. */
export interface InstanceSums {
  verdict: InstanceVerdict;
  totals: Totals;
  rowsByBudget: Map<string, WorkloadRow[]>;
  /** Budgets naming the instance, valid or not. */
  budgets: number;
}

/** Adds up every valid budget that names the instance (budgets with an invalid spec count as none). */
export function instanceSums(spec: Neo4jInstanceSpec, budgets: readonly BudgetFacts[], observedConnections?: number): InstanceSums {
  const rowsByBudget = new Map<string, WorkloadRow[]>();
  for (const budget of budgets) rowsByBudget.set(budgetKey(budget), budget.spec.ok ? budget.workloads.map(workloadRow) : []);
  let totals = ZERO_TOTALS;
  for (const rows of rowsByBudget.values()) totals = addTotals(totals, sumRows(rows));
  return { verdict: instanceVerdict(spec, totals, observedConnections), totals, rowsByBudget, budgets: budgets.length };
}
