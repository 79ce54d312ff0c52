import type { Neo4jInstanceSpec } from '../src/api/neo4j-instance.ts';
import type { BudgetFacts } from '../src/controller/facts.ts';
import { compareTieBreak, type ScaleCandidate } from '../src/budget/scale-plan.ts';

/** A small deterministic generator (mulberry32), so that every run sorts the same inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORKLOADS_PER_BUDGET = 5;

/**
 * n candidates in budgets of five, in random order. The operator hands them to the planner grouped by
 * budget in key order (see `inOperatorOrder`); a random order is what the planner must also handle.
 */
function candidates(n: number, shape: (i: number) => Pick<ScaleCandidate, 'live' | 'minReplicas' | 'original'>): ScaleCandidate[] {
  const next = random(n);
  // One key string per budget, shared by its candidates, as the operator passes its budget's key.
  const budgetKeys = Array.from({ length: Math.ceil(n / WORKLOADS_PER_BUDGET) }, (_, budget) => `team-${budget % 50}/budget-${budget}`);
  const list = Array.from({ length: n }, (_, i): ScaleCandidate => {
    const budget = Math.floor(i / WORKLOADS_PER_BUDGET);
    const namespace = `team-${budget % 50}`;
    const name = `svc-${Math.floor(next() * 1e9).toString(36)}-${i}`;
    return {
      key: `${namespace}/Deployment/${name}`,
      kind: 'Deployment',
      name,
      namespace,
      budget: budgetKeys[budget] as string,
      poolSize: 1 + Math.floor(next() * 20),
      priority: Math.floor(next() * 10),
      ...shape(i),
    };
  });
  // Shuffled (Fisher-Yates with the same generator), so no order comes from the construction.
  for (let i = list.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [list[i], list[j]] = [list[j] as ScaleCandidate, list[i] as ScaleCandidate];
  }
  return list;
}

/**
 * The candidates as src/controller/budget/scale-plans.ts hands them over: by budget key, then by key, each
 * a fresh object made in that order (the operator builds them on every plan), so they lie in memory in the
 * order they are read, as in the operator.
 */
export function inOperatorOrder(list: readonly ScaleCandidate[]): ScaleCandidate[] {
  return [...list].sort(compareTieBreak).map((candidate) => ({ ...candidate }));
}

/**
 * The worst case of planScaleDown: every workload can give one replica and even all of them at their
 * floors leave the instance over the line, so the plan visits every candidate.
 */
export function scaleDownInput(n: number): { spec: { connectionLimit: number; bufferPercent: number; warningPercent: number; criticalPercent: number }; currentTotal: number; candidates: ScaleCandidate[] } {
  const list = candidates(n, () => ({ live: 3, minReplicas: 2 }));
  const currentTotal = list.reduce((sum, c) => sum + c.live * c.poolSize, 0);
  const floors = list.reduce((sum, c) => sum + c.minReplicas * c.poolSize, 0);
  return { spec: { connectionLimit: floors, bufferPercent: 20, warningPercent: 80, criticalPercent: 95 }, currentTotal, candidates: list };
}

/** The worst case of planRestore: every workload was lowered by two and all of it fits back. */
export function restoreInput(n: number): { spec: { connectionLimit: number; bufferPercent: number; warningPercent: number; criticalPercent: number }; views: { planned: number; current: number; observed: number }; candidates: ScaleCandidate[] } {
  const list = candidates(n, () => ({ live: 1, minReplicas: 1, original: 3 }));
  const missing = list.reduce((sum, c) => sum + 2 * c.poolSize, 0);
  return { spec: { connectionLimit: missing * 100, bufferPercent: 20, warningPercent: 80, criticalPercent: 95 }, views: { planned: missing, current: missing, observed: missing }, candidates: list };
}

/** n workloads in budgets of five, all valid, all naming one instance. */
export function sumsInput(n: number): { spec: Neo4jInstanceSpec; budgets: BudgetFacts[] } {
  const next = random(n + 1);
  const budgets: BudgetFacts[] = [];
  for (let b = 0; b * WORKLOADS_PER_BUDGET < n; b += 1) {
    const count = Math.min(WORKLOADS_PER_BUDGET, n - b * WORKLOADS_PER_BUDGET);
    const workloads = Array.from({ length: count }, (_, w) => ({
      kind: 'Deployment' as const,
      name: `svc-${b}-${w}`,
      poolSize: 1 + Math.floor(next() * 20),
      declaredReplicas: 2,
      live: { replicas: 1 + Math.floor(next() * 3), strategy: { kind: 'Deployment' as const, type: 'RollingUpdate', maxSurge: '25%' } },
    }));
    const namespace = `team-${b % 50}`;
    budgets.push({
      namespace,
      name: `budget-${b}`,
      uid: `uid-${b}`,
      generation: 1,
      spec: { ok: true, value: { instanceRef: { name: 'graph' }, enforcement: 'Flag', workloads: workloads.map((w) => ({ kind: w.kind, name: w.name, poolSize: w.poolSize, replicas: 2, minReplicas: 1, priority: 0 })) } },
      workloads,
    });
  }
  return { spec: { connectionLimit: 1_000_000, bufferPercent: 20, warningPercent: 80, criticalPercent: 95, leakGrowthPercentPerHour: 10 }, budgets };
}
