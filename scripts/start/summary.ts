import type { Condition } from '../../src/api/conditions.ts';
import type { Level } from '../../src/api/common.ts';
import type { BoltBudgetObject, Neo4jInstanceObject } from '../../src/api/resources.ts';
import { paint, utilisationBar } from '../../src/cli/render/terminal.ts';
import type { StatusSnapshot } from './status-watch.ts';

/** Conditions that are news when True (the rest are news when not True). */
const ALARMS = new Set(['Stalled', 'CapacityWarning', 'CapacityCritical', 'PeakExceedsLimit', 'LeakSuspected', 'HighChurn', 'ThreadPoolPressure']);

/** Ready, Reachable, WithinBudget when not True; alarms when True: the conditions a person must see. */
export function notFine(conditions: readonly Condition[] | undefined): Condition[] {
  return (conditions ?? []).filter((c) => (ALARMS.has(c.type) ? c.status === 'True' : c.status !== 'True'));
}

/** A time of day as people read it on this machine. */
export function clock(at: string | number | Date): string {
  return new Date(at).toLocaleTimeString('en-GB');
}

function conditionText(c: Condition): string {
  return c.status === 'True' ? `${c.type} (${c.reason})` : `${c.type}=${c.status} (${c.reason})`;
}

function levelText(level: Level | undefined, colour: boolean): string {
  return level === undefined ? 'pending' : paint(level, level, colour);
}

function instanceLines(instance: Neo4jInstanceObject, budgets: readonly BoltBudgetObject[], colour: boolean, expand: boolean): string[] {
  const s = instance.status ?? {};
  const spec = (instance.spec ?? {}) as { connectionLimit?: number };
  const planned = s.planned ? `planned ${s.planned.connections}+${s.planned.buffer} ${utilisationBar(s.planned.percent, 20)} ${s.planned.percent} %` : 'planned -';
  const head = `${instance.metadata?.name ?? '?'}  ${levelText(s.level, colour)}  limit ${spec.connectionLimit ?? '?'}  ${planned}  current ${s.current?.percent ?? '-'} %  peak ${s.peak?.percent ?? '-'} %  budgets ${s.budgets ?? 0}`;
  const bad = notFine(s.conditions);
  if (!expand) return [bad.length === 0 ? head : `${head}  ${bad.map((c) => c.type).join(', ')}`];
  const lines = [head];
  const o = s.observed;
  if (o !== undefined) {
    const split = o.running === undefined ? '' : `, running ${o.running}, idle ${o.idle ?? 0}`;
    const rates = o.openedPerMinute === undefined ? '' : `, opened ${o.openedPerMinute}/min, closed ${o.closedPerMinute ?? 0}/min`;
    lines.push(`  observed ${o.connections} ${utilisationBar(o.percent, 20)} ${o.percent} %${split}, unattributed ${o.unattributed ?? 0}${rates}  (sampled ${clock(o.sampledAt)})`);
  }
  lines.push(`  conditions: ${bad.length === 0 ? 'fine' : bad.map(conditionText).join(', ')}`);
  for (const budget of budgets) lines.push(...budgetLines(budget, colour));
  return lines;
}

function budgetLines(budget: BoltBudgetObject, colour: boolean): string[] {
  const s = budget.status ?? {};
  const bad = notFine(s.conditions);
  const head = `  ${budget.metadata?.namespace ?? '?'}/${budget.metadata?.name ?? '?'}  planned ${s.planned?.connections ?? '-'}  share ${s.sharePercent ?? '-'} %${bad.length === 0 ? '' : `  ${bad.map(conditionText).join(', ')}`}`;
  const workloads = (s.workloads ?? []).map((w) => {
    const observed = w.connections.observed === undefined ? '' : `  observed ${w.connections.observed}`;
    const state = w.state === 'Ok' ? 'Ok' : colour ? `\u001b[1;33m${w.state}\u001b[0m` : w.state;
    return `    ${w.kind} ${w.name}  pool ${w.poolSize} x ${w.replicas.live}  planned ${w.connections.planned}${observed}  ${state}`;
  });
  return [head, ...workloads];
}

const instanceOf = (budget: BoltBudgetObject): string | undefined => (budget.spec as { instanceRef?: { name?: string } } | undefined)?.instanceRef?.name;
const byName = (a: { metadata?: { namespace?: string; name?: string } }, b: { metadata?: { namespace?: string; name?: string } }): number =>
  `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`.localeCompare(`${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`);

/**
 * The tree instance -> budgets -> workloads as plain lines. `first` (the demo's instance) leads and is
 * shown in full; the others get one line each unless `expandAll`.
 */
export function renderSummary(snapshot: StatusSnapshot, options: { colour: boolean; first?: string; expandAll?: boolean }): string {
  const instances = [...snapshot.instances].sort((a, b) => {
    const lead = Number(b.metadata?.name === options.first) - Number(a.metadata?.name === options.first);
    return lead !== 0 ? lead : byName(a, b);
  });
  const names = new Set(instances.map((i) => i.metadata?.name));
  const lines = instances.flatMap((instance) => instanceLines(instance, snapshot.budgets.filter((b) => instanceOf(b) === instance.metadata?.name).sort(byName), options.colour, options.expandAll === true || instance.metadata?.name === options.first));
  const orphans = snapshot.budgets.filter((b) => !names.has(instanceOf(b))).sort(byName);
  if (orphans.length > 0) lines.push('(no such instance)', ...orphans.flatMap((b) => budgetLines(b, options.colour)));
  return lines.join('\n');
}
