import type { Neo4jInstanceObject } from '../../src/api/resources.ts';
import { notFineConditions } from '../../src/cli/render/conditions.ts';
import { renderTree } from '../../src/cli/render/status-tree.ts';
import { paint } from '../../src/cli/render/terminal.ts';
import type { ClusterObjects } from '../../src/cli/status/sources.ts';
import { buildTree } from '../../src/cli/status/tree.ts';

/** One line for an instance the demo does not drive: level, planned and peak percent, what is not fine. */
function instanceLine(instance: Neo4jInstanceObject, colour: boolean): string {
  const s = instance.status;
  const limit = (instance.spec as { connectionLimit?: number } | undefined)?.connectionLimit;
  const bad = notFineConditions(s?.conditions).map((c) => c.type);
  const level = s?.level === undefined ? '(no status yet)' : paint(s.level, s.level, colour);
  return `  ${instance.metadata?.name ?? '?'}  ${level}  limit ${limit ?? '?'}  planned ${s?.planned?.percent ?? '-'}%  peak ${s?.peak?.percent ?? '-'}%  budgets ${s?.budgets ?? 0}${bad.length > 0 ? `  ${bad.join(', ')}` : ''}`;
}

/**
 * `boltbudget status`'s tree (src/cli/render) for the demo's instance, with budgets whose instance is
 * missing, then the other examples' instances one line each, so the live part fits on a screen.
 */
export function renderDemoTree(objects: ClusterObjects, demoInstance: string, colour: boolean): string {
  const tree = buildTree(objects, undefined);
  const text = renderTree({ ...tree, instances: tree.instances.filter((i) => i.name === demoInstance) }, { colour });
  const others = objects.instances.filter((i) => i.metadata?.name !== demoInstance).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return others.length === 0 ? text.trimEnd() : `${text}other instances (boltbudget status -A shows them in full):\n${others.map((i) => instanceLine(i, colour)).join('\n')}`;
}
