import type { WorkloadStatus } from '../../api/bolt-budget.ts';
import type { Level } from '../../api/common.ts';
import { percentOf } from '../../budget/arithmetic.ts';
import { levelOf } from '../../budget/levels.ts';
import { columns, type Cell } from '../render/columns.ts';
import { paint, paintState, utilisationBar } from '../render/terminal.ts';
import type { Plan, PlannedBudget, PlannedInstance } from './compute-plan.ts';
import { exitCodeOf } from './exit-codes.ts';

const VIEW_BAR = 20;
const WORKLOAD_BAR = 10;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function instanceLines(instance: PlannedInstance, colour: boolean): string[] {
  const { spec, status } = instance;
  const level: Level = status.level ?? 'Healthy';
  const header = `Neo4jInstance ${instance.name}  ${paint(level, level, colour)}  limit ${spec.connectionLimit}, buffer ${spec.bufferPercent} %, warning over ${spec.warningPercent} %, critical over ${spec.criticalPercent} %, ${plural(status.budgets ?? 0, 'budget')}`;
  const view = (name: string, connections: string, percent: number): Cell[] => {
    const viewLevel = levelOf(percent, spec);
    return [
      { text: name },
      { text: connections },
      { text: `${percent} %`, right: true },
      { text: utilisationBar(percent, VIEW_BAR), style: (text) => paint(text, viewLevel, colour) },
    ];
  };
  const buffered = (v: { connections: number; buffer: number }): string => `${v.connections} + ${v.buffer} buffer = ${v.connections + v.buffer}`;
  const rows: Cell[][] = [];
  if (status.planned) rows.push(view('planned', buffered(status.planned), status.planned.percent));
  if (status.current) rows.push(view('current', buffered(status.current), status.current.percent));
  if (status.peak) rows.push(view('peak', String(status.peak.connections), status.peak.percent));
  const lines = [header, ...columns(rows, '  ')];
  if (status.peak && status.peak.percent > 100) {
    lines.push(`  ${paint('PeakExceedsLimit', 'Exceeded', colour)}: at HPA maximum and rollout surge the budgets could hold ${status.peak.connections} of ${spec.connectionLimit} connections`);
  }
  return lines;
}

function workloadRow(workload: WorkloadStatus, limit: number, level: Level, colour: boolean): Cell[] {
  const share = percentOf(workload.connections.planned, limit);
  return [
    { text: `${workload.kind}/${workload.name}` },
    { text: String(workload.poolSize), right: true },
    { text: `${workload.replicas.expected}/${workload.replicas.live}/${workload.replicas.peak}`, right: true },
    { text: String(workload.connections.planned), right: true },
    { text: String(workload.connections.current), right: true },
    { text: String(workload.connections.peak), right: true },
    { text: workload.ceilingReplicas === undefined ? '-' : String(workload.ceilingReplicas), right: true },
    { text: workload.state, style: (text) => paintState(text, workload.state, colour) },
    { text: `${share} %`, right: true },
    { text: utilisationBar(share, WORKLOAD_BAR), style: (text) => paint(text, level, colour) },
  ];
}

const HEADINGS: Cell[] = ['WORKLOAD', 'POOL', 'REPLICAS', 'PLANNED', 'CURRENT', 'PEAK', 'CEILING', 'STATE', 'SHARE', ''].map((text, index) => ({ text, right: index > 0 && index < 7 }));

function budgetLines(budget: PlannedBudget, instance: PlannedInstance, colour: boolean): string[] {
  const { status } = budget;
  const level: Level = status.level ?? 'Healthy';
  const lines = [
    '',
    `  BoltBudget ${budget.namespace}/${budget.name}  ${budget.enforcement}  planned ${status.planned?.connections ?? 0}, current ${status.current?.connections ?? 0}, peak ${status.peak?.connections ?? 0}, share ${status.sharePercent ?? 0} %`,
    ...columns([HEADINGS, ...(status.workloads ?? []).map((w) => workloadRow(w, instance.spec.connectionLimit, level, colour))], '    '),
  ];
  for (const step of status.plan ?? []) lines.push(`    plan: ${step.kind}/${step.name} ${step.from} -> ${step.to}: ${step.reason}`);
  return lines;
}

/**
 * The plan as a person reads it: per instance its views with bars, then each budget's workloads with
 * replicas (expected/live/peak), connections, ceiling, state and a bar of the workload's share of the limit.
 */
export function renderTable(plan: Plan, colour: boolean): string {
  const blocks: string[] = [];
  for (const instance of plan.instances) {
    const lines = instanceLines(instance, colour);
    for (const budget of plan.budgets.filter((b) => b.instance === instance.name)) lines.push(...budgetLines(budget, instance, colour));
    blocks.push(lines.join('\n'));
  }
  const code = exitCodeOf(plan.level);
  blocks.push(`verdict: ${paint(plan.level, plan.level, colour)} (exit ${code})`);
  return `${blocks.join('\n\n')}\n`;
}
