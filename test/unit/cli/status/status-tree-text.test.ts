import { describe, expect, it } from 'vitest';
import { renderTree } from '../../../../src/cli/render/status-tree.ts';
import { buildTree } from '../../../../src/cli/status/tree.ts';
import { scenario } from './scenario.ts';

const PLAIN = `Neo4jInstance prod-graph  Warning  limit 300  budgets 2
  planned   [##################..]   88%  220 + buffer 44
  current   [##############......]   72%  180 + buffer 36
  peak      [####################]+ 104%  310
  observed  [##########..........]   48%  143: 12 running, 131 idle, 5 unattributed, 3 opened/min, 2 closed/min, thread pool 400, sampled 2026-01-01T00:00:00Z
  ! CapacityWarning True Warning: planned 88 % is over the warning line 80 %
  ! PeakExceedsLimit True PeakOverLimit: peak 104 %
  ! LeakSuspected True Growing: growing like a leak: shop/orders Deployment api
  BoltBudget shop/orders  Warning  Scale  share 40%  planned 120  current 100  peak 160
    ! WithinBudget False Warning: instance prod-graph is at Warning
    Deployment/api      PoolOverrun  pool 20  replicas 4 (expected 5, peak 7, ceiling 4)  connections 80 (planned 100, peak 140, observed 95)  live object now 3 replicas
    StatefulSet/worker  Ok           pool 10  replicas 2 (expected 2, peak 2, ceiling 3)  connections 20 (planned 20, peak 20, observed 12)
    plan: Deployment/api 4 -> 3: brings current to 79 % of the limit
  BoltBudget team/search  Warning  Observe  share 34%  planned 100  current 100  peak 150  (status is for generation 3, the spec is at 4)
    ! WithinBudget False Warning: instance prod-graph is at Warning
    Deployment/query  Ok  pool 50  replicas 2 (expected 2, peak 3, ceiling 2)  connections 100 (planned 100, peak 150)  hpa query-hpa 2..3
(instance not found)
  BoltBudget shop/ghost  instance gone  Flag
    ! Ready False InstanceNotFound: Neo4jInstance gone does not exist
    ! Stalled True InstanceNotFound: Neo4jInstance gone does not exist
    Deployment/lost  -  pool -  replicas -  connections -  not found
`;

// eslint-disable-next-line no-control-regex
const strip = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('the status tree as text', () => {
  it('draws instance -> budgets -> workloads with bars, not-fine conditions, figures and the plan, without escape codes', () => {
    const text = renderTree(buildTree(scenario(), undefined), { colour: false });
    expect(text).toBe(PLAIN);
    expect(text).not.toContain('\u001b');
  });

  it('has no blank line inside a tree, so --watch without a terminal can separate trees with one', () => {
    expect(renderTree(buildTree(scenario(), undefined), { colour: false }).trimEnd().split('\n')).not.toContain('');
  });

  it('hides the conditions that are fine: Ready True, Stalled False, Reachable True, alarms False or Unknown', () => {
    const text = renderTree(buildTree(scenario(), undefined), { colour: false });
    for (const hidden of ['Ready True', 'Stalled False', 'Reachable', 'CapacityCritical', 'HighChurn', 'ThreadPoolPressure']) expect(text).not.toContain(hidden);
  });

  it('colours levels, bars by their own level and states that are not Ok; the same text once the codes are stripped', () => {
    const lines = renderTree(buildTree(scenario(), undefined), { colour: true }).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'Neo4jInstance prod-graph  \u001b[33mWarning\u001b[0m  limit 300  budgets 2',
      '  planned   \u001b[33m[##################..]\u001b[0m   88%  220 + buffer 44',
      '  current   \u001b[32m[##############......]\u001b[0m   72%  180 + buffer 36',
      '  peak      \u001b[1;31m[####################]+\u001b[0m 104%  310',
      '  observed  \u001b[32m[##########..........]\u001b[0m   48%  143: 12 running, 131 idle, 5 unattributed, 3 opened/min, 2 closed/min, thread pool 400, sampled 2026-01-01T00:00:00Z',
    ]);
    expect(lines[10]).toContain('\u001b[31mPoolOverrun\u001b[0m');
    expect(strip(lines.join('\n'))).toBe(PLAIN);
  });

  it('with a namespace shows only its budgets, still under their instance, and its budgets whose instance is missing', () => {
    const text = renderTree(buildTree(scenario(), 'shop'), { colour: false });
    expect(text).toContain('Neo4jInstance prod-graph  Warning');
    expect(text).toContain('BoltBudget shop/orders');
    expect(text).toContain('(instance not found)\n  BoltBudget shop/ghost  instance gone');
    expect(text).not.toContain('team/search');
  });

  it('says so when a namespace has no budgets, and when an object has no status yet', () => {
    expect(renderTree(buildTree(scenario(), 'empty'), { colour: false })).toBe('No BoltBudgets in namespace empty.\n');
    const objects = scenario();
    const bare = { ...objects, instances: objects.instances.map(({ status: _status, ...instance }) => instance), budgets: [] };
    expect(renderTree(buildTree(bare, undefined), { colour: false })).toBe('Neo4jInstance prod-graph  (no status yet: the operator has not reconciled it)  limit 300\n');
  });
});
