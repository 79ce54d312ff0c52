import type { Level } from '../../api/common.ts';
import type { Condition } from '../../api/conditions.ts';
import { levelOf } from '../../budget/levels.ts';
import type { BudgetNode, InstanceNode, StatusTree, WorkloadNode } from '../status/tree.ts';
import { notFineConditions } from './conditions.ts';
import { columns } from './columns.ts';
import { paint, paintState, utilisationBar } from './terminal.ts';

export interface TreeRenderOptions {
  colour: boolean;
  /** Cells of a utilisation bar; 20 by default. */
  barWidth?: number;
}

const DEFAULT_BAR_WIDTH = 20;
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** " (status is for generation 2, the spec is at 3)" while the operator has not caught up with a change. */
function staleness(generation: number | undefined, observed: number | undefined): string {
  return generation !== undefined && observed !== undefined && observed < generation ? `  (status is for generation ${observed}, the spec is at ${generation})` : '';
}

function conditionLines(conditions: readonly Condition[] | undefined, indent: string, colour: boolean): string[] {
  return notFineConditions(conditions).map((c) => `${indent}${paint('!', 'Warning', colour)} ${c.type} ${c.status} ${c.reason}${c.message ? `: ${oneLine(c.message)}` : ''}`);
}

/** One view of the instance: name, bar, percent, then its figures; the bar in the colour of that percent's level. */
function viewLine(label: string, percent: number, figures: string, level: Level, options: Required<TreeRenderOptions>): string {
  const bar = utilisationBar(percent, options.barWidth);
  // Padded outside the colour, so that a bar with the trailing `+` and one without line up.
  const padding = ' '.repeat(Math.max(0, options.barWidth + 3 - bar.length));
  return `  ${label.padEnd(9)} ${paint(bar, level, options.colour)}${padding} ${`${percent}%`.padStart(4)}  ${figures}`;
}

function instanceLines(instance: InstanceNode, options: Required<TreeRenderOptions>): string[] {
  const { status, limits } = instance;
  const level = status?.level;
  const levelOfView = (percent: number): Level => (limits ? levelOf(percent, limits) : (level ?? 'Healthy'));
  const head = [
    `Neo4jInstance ${instance.name}`,
    level ? paint(level, level, options.colour) : '(no status yet: the operator has not reconciled it)',
    limits ? `limit ${limits.connectionLimit}` : 'spec unreadable',
    status?.budgets === undefined ? undefined : `budgets ${status.budgets}`,
  ].filter(Boolean);
  const lines = [head.join('  ') + staleness(instance.generation, status?.observedGeneration)];
  if (status?.planned) lines.push(viewLine('planned', status.planned.percent, `${status.planned.connections} + buffer ${status.planned.buffer}`, levelOfView(status.planned.percent), options));
  if (status?.current) lines.push(viewLine('current', status.current.percent, `${status.current.connections} + buffer ${status.current.buffer}`, levelOfView(status.current.percent), options));
  if (status?.peak) lines.push(viewLine('peak', status.peak.percent, `${status.peak.connections}`, levelOfView(status.peak.percent), options));
  if (status?.observed) {
    const o = status.observed;
    const parts = [
      o.running === undefined ? undefined : `${o.running} running`,
      o.idle === undefined ? undefined : `${o.idle} idle`,
      o.unattributed === undefined ? undefined : `${o.unattributed} unattributed`,
      o.openedPerMinute === undefined ? undefined : `${o.openedPerMinute} opened/min`,
      o.closedPerMinute === undefined ? undefined : `${o.closedPerMinute} closed/min`,
      o.threadPoolMaxSize === undefined ? undefined : `thread pool ${o.threadPoolMaxSize}`,
      `sampled ${o.sampledAt}`,
    ].filter(Boolean);
    lines.push(viewLine('observed', o.percent, `${o.connections}: ${parts.join(', ')}`, levelOfView(o.percent), options));
  }
  lines.push(...conditionLines(status?.conditions, '  ', options.colour));
  for (const budget of instance.budgets) lines.push(...budgetLines(budget, false, options));
  return lines;
}

const figure = (value: number | undefined): string => (value === undefined ? '-' : String(value));

/** The live object's side: an HPA's range, a replica count that moved since the status, or its absence. */
function liveText(workload: WorkloadNode): string {
  const { live, status } = workload;
  if (!live.found) return 'not found';
  const parts: string[] = [];
  if (status && live.replicas !== undefined && live.replicas !== status.replicas.live) parts.push(`live object now ${live.replicas} replicas`);
  if (live.autoscaler) parts.push(`hpa ${live.autoscaler.name} ${live.autoscaler.minReplicas ?? 1}..${live.autoscaler.maxReplicas}`);
  return parts.join(', ');
}

function workloadLines(workloads: readonly WorkloadNode[], colour: boolean): string[] {
  const rows = workloads.map((w) => {
    const s = w.status;
    const state = s?.state ?? '-';
    const replicas = s ? `replicas ${s.replicas.live} (expected ${s.replicas.expected}, peak ${s.replicas.peak}${s.ceilingReplicas === undefined ? '' : `, ceiling ${s.ceilingReplicas}`})` : 'replicas -';
    const connections = s
      ? `connections ${s.connections.current} (planned ${s.connections.planned}, peak ${s.connections.peak}${s.connections.observed === undefined ? '' : `, observed ${s.connections.observed}`})`
      : 'connections -';
    return [{ text: `${w.kind}/${w.name}` }, { text: state, style: (text: string) => paintState(text, state, colour) }, { text: `pool ${figure(s?.poolSize)}` }, { text: replicas }, { text: connections }, { text: liveText(w) }];
  });
  return columns(rows, '    ');
}

function budgetLines(budget: BudgetNode, orphan: boolean, options: Required<TreeRenderOptions>): string[] {
  const { status } = budget;
  const head = [
    `BoltBudget ${budget.namespace}/${budget.name}`,
    orphan ? `instance ${budget.instance ?? '(none)'}` : undefined,
    status?.level ? paint(status.level, status.level, options.colour) : undefined,
    budget.enforcement ?? 'spec unreadable',
    status?.sharePercent === undefined ? undefined : `share ${status.sharePercent}%`,
    status?.planned ? `planned ${status.planned.connections}` : undefined,
    status?.current ? `current ${status.current.connections}` : undefined,
    status?.peak ? `peak ${status.peak.connections}` : undefined,
  ].filter(Boolean);
  const lines = [`  ${head.join('  ')}${staleness(budget.generation, status?.observedGeneration)}`];
  if (!status) lines.push('    (no status yet: the operator has not reconciled it)');
  if (status?.scope) lines.push(`    (counts only the namespaces ${status.scope.namespaces.join(', ')})`);
  lines.push(...conditionLines(status?.conditions, '    ', options.colour));
  lines.push(...workloadLines(budget.workloads, options.colour));
  for (const step of status?.plan ?? []) lines.push(`    plan: ${step.kind}/${step.name} ${step.from} -> ${step.to}${step.reason ? `: ${oneLine(step.reason)}` : ''}`);
  return lines;
}

/**
 * The tree as text: one block per instance (its views as bars, its conditions that are not fine, its
 * budgets with their workloads and plan), then the budgets whose instance does not exist. No blank
 * line inside, so that `--watch` without a terminal can separate trees with one. Ends with a newline.
 */
export function renderTree(tree: StatusTree, options: TreeRenderOptions): string {
  const full: Required<TreeRenderOptions> = { barWidth: DEFAULT_BAR_WIDTH, ...options };
  const lines = tree.instances.flatMap((instance) => instanceLines(instance, full));
  if (tree.orphans.length > 0) {
    lines.push('(instance not found)');
    for (const budget of tree.orphans) lines.push(...budgetLines(budget, true, full));
  }
  if (lines.length === 0) lines.push(tree.namespace === undefined ? 'No Neo4jInstances or BoltBudgets in the cluster.' : `No BoltBudgets in namespace ${tree.namespace}.`);
  return `${lines.join('\n')}\n`;
}
