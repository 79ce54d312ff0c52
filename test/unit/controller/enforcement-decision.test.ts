import { describe, expect, it } from 'vitest';
import { enforcementActions, type EnforcementInput, type LiveWorkload } from '../../../src/controller/enforcement-decision.ts';
import { instancePlans, type PlanningBudget } from '../../../src/controller/scale-plans.ts';
import { WrittenObjects } from '../../../src/controller/written-objects.ts';
import { boltBudgetSpec } from '../../../src/api/bolt-budget.ts';

const base: EnforcementInput = { namespace: 'shop', budget: 'apps', enforcement: 'Scale', deleting: false, declared: [], live: [], steps: [] };
const api = (extra: Partial<LiveWorkload> = {}): LiveWorkload => ({ kind: 'Deployment', name: 'api', replicas: 3, annotations: {}, ...extra });

describe('enforcementActions', () => {
  it('lowers through /scale after recording the original, with one event', () => {
    const actions = enforcementActions({ ...base, declared: [{ kind: 'Deployment', name: 'api' }], live: [api()], steps: [{ kind: 'Deployment', name: 'api', from: 3, to: 1, reason: 'over' }] });
    expect(actions.map((a) => a.type)).toEqual(['annotate', 'scale', 'event']);
    expect(actions[0]).toMatchObject({ annotations: { 'boltbudget.io/original-replicas': '3', 'boltbudget.io/changed-by': 'apps' } });
    expect(actions[1]).toMatchObject({ replicas: 1 });
  });

  it('keeps the first original when it lowers again', () => {
    const lowered = api({ replicas: 2, annotations: { 'boltbudget.io/original-replicas': '5', 'boltbudget.io/changed-by': 'apps' } });
    const actions = enforcementActions({ ...base, declared: [{ kind: 'Deployment', name: 'api' }], live: [lowered], steps: [{ kind: 'Deployment', name: 'api', from: 2, to: 1, reason: 'over' }] });
    expect(actions[0]).toMatchObject({ annotations: { 'boltbudget.io/original-replicas': '5' } });
  });

  it('never caps an HPA under its own minReplicas', () => {
    const withHpa = api({ replicas: 5, hpa: { name: 'api', minReplicas: 3, maxReplicas: 10, annotations: {} } });
    const actions = enforcementActions({ ...base, declared: [{ kind: 'Deployment', name: 'api' }], live: [withHpa], steps: [{ kind: 'Deployment', name: 'api', from: 5, to: 1, reason: 'over' }] });
    expect(actions.find((a) => a.type === 'setMaxReplicas')).toMatchObject({ maxReplicas: 3 });
    expect(actions.some((a) => a.type === 'scale')).toBe(false);
  });

  it.each([[''], ['abc'], [undefined]])('with an unreadable original (%s) lets go without scaling anything', (original) => {
    const annotations: Record<string, string> = { 'boltbudget.io/changed-by': 'apps' };
    if (original !== undefined) annotations['boltbudget.io/original-replicas'] = original;
    const actions = enforcementActions({ ...base, enforcement: 'Observe', live: [api({ replicas: 1, annotations })] });
    expect(actions).toEqual([{ type: 'annotate', target: { kind: 'Deployment', namespace: 'shop', name: 'api' }, annotations: { 'boltbudget.io/original-replicas': null, 'boltbudget.io/changed-by': null } }]);
  });

  it('gives everything back when the budget is deleted, and touches nothing it did not change', () => {
    const lowered = api({ replicas: 1, annotations: { 'boltbudget.io/original-replicas': '4', 'boltbudget.io/changed-by': 'apps' } });
    const foreign = api({ name: 'other', replicas: 1, annotations: { 'boltbudget.io/original-replicas': '4', 'boltbudget.io/changed-by': 'someone-else' } });
    const actions = enforcementActions({ ...base, deleting: true, live: [lowered, foreign] });
    expect(actions.filter((a) => a.type === 'scale')).toEqual([{ type: 'scale', target: { kind: 'Deployment', namespace: 'shop', name: 'api' }, replicas: 4 }]);
  });
});

describe('instancePlans', () => {
  const spec = { connectionLimit: 1000, bufferPercent: 0, warningPercent: 80, criticalPercent: 95 };
  const budget = (live: LiveWorkload): PlanningBudget => {
    const parsed = boltBudgetSpec.parse({ instanceRef: { name: 'g' }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] });
    return { key: 'shop/apps', namespace: 'shop', name: 'apps', spec: parsed, live: [live] };
  };

  it('restores a capped HPA only as far as the rise it allows fits, counted from its cap', () => {
    // Other budgets 500; api runs 1 replica under an HPA capped at 10 (originally 30). Counted from the
    // one replica it would give back up to 29, and the cap would come back as soon as the load did.
    const capped = api({ replicas: 1, hpa: { name: 'api', minReplicas: 1, maxReplicas: 10, annotations: { 'boltbudget.io/original-max-replicas': '30', 'boltbudget.io/changed-by': 'apps' } } });
    const plans = instancePlans(spec, 510, [budget(capped)]);
    // At its cap: 500 + 10 x 10 = 600; 70 % is 700: ten more replicas at most.
    expect(plans.applied).toEqual([expect.objectContaining({ name: 'api', from: 10, to: 20 })]);
  });
});

describe('WrittenObjects', () => {
  it('shows what was written until the cache reaches that version', () => {
    const written = new WrittenObjects();
    written.remember('Deployment/shop/api', { resourceVersion: '20', replicas: 1 });
    written.remember('Deployment/shop/api', { resourceVersion: '21', annotations: { a: 'b' } });
    expect(written.pending('Deployment/shop/api', '19')).toEqual({ resourceVersion: '21', replicas: 1, annotations: { a: 'b' } });
    expect(written.pending('Deployment/shop/api', '21')).toBeUndefined();
    expect(written.pending('Deployment/shop/api', '19')).toBeUndefined();
  });
});
