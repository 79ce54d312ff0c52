import { describe, expect, it } from 'vitest';
import { enforcementActions, heldBack, type Action, type EnforcementInput, type LiveWorkload } from '../../../../src/controller/budget/enforcement-decision.ts';
import { instancePlans, type PlanningBudget } from '../../../../src/controller/budget/scale-plans.ts';
import { WrittenObjects } from '../../../../src/controller/budget/written-objects.ts';
import { boltBudgetSpec } from '../../../../src/api/bolt-budget.ts';

const ORIGINAL = 'boltbudget.io/original-replicas';
const APPLIED = 'boltbudget.io/applied-replicas';
const ORIGINAL_MAX = 'boltbudget.io/original-max-replicas';
const APPLIED_MAX = 'boltbudget.io/applied-max-replicas';
const CHANGED_BY = 'boltbudget.io/changed-by';
const ADOPTED = 'boltbudget.io/override-adopted';
const FLAG = 'boltbudget.io/over-budget';

const warning = { name: 'g', level: 'Warning' as const, percent: 90 };
const base: EnforcementInput = { namespace: 'shop', budget: 'apps', enforcement: 'Scale', deleting: false, instance: warning, declared: [{ kind: 'Deployment', name: 'api' }], live: [], steps: [] };
const api = (extra: Partial<LiveWorkload> = {}): LiveWorkload => ({ kind: 'Deployment', name: 'api', replicas: 3, resourceVersion: '7', annotations: {}, ...extra });
const target = { kind: 'Deployment', namespace: 'shop', name: 'api' };
const lower = (from: number, to: number): EnforcementInput['steps'] => [{ kind: 'Deployment', name: 'api', from, to, reason: 'over' }];
/** Scale's actions, without the flag a Warning level also sets (Flag's part, tested in the flag suite). */
const scaleActions = (input: EnforcementInput): Action[] =>
  enforcementActions(input).filter((a) => !(a.type === 'annotate' && FLAG in a.annotations) && !(a.type === 'event' && (a.reason === 'OverBudget' || a.reason === 'WithinBudget')));
const writes = (actions: readonly Action[]): Action[] => actions.filter((a) => a.type !== 'event');
const reasons = (actions: readonly Action[]): string[] => actions.flatMap((a) => (a.type === 'event' ? [a.reason] : []));
/** A workload the operator lowered from `original` to `applied`, now running `replicas`. */
const lowered = (original: number, applied: number, replicas: number, extra: Record<string, string> = {}): LiveWorkload =>
  api({ replicas, annotations: { [ORIGINAL]: String(original), [APPLIED]: String(applied), [CHANGED_BY]: 'apps', ...extra } });

describe('enforcementActions: lowering and giving back', () => {
  it('lowers in one patch conditional on the version read, recording original, applied value and budget, then one event', () => {
    const actions = scaleActions({ ...base, live: [api()], steps: lower(3, 1) });
    expect(actions).toEqual([
      { type: 'scale', target, replicas: 1, resourceVersion: '7', annotations: { [ORIGINAL]: '3', [APPLIED]: '1', [CHANGED_BY]: 'apps' } },
      expect.objectContaining({ type: 'event', reason: 'ScaledDown', note: 'replicas 3 -> 1: over' }),
    ]);
  });

  it('keeps the first original when it lowers again', () => {
    const actions = scaleActions({ ...base, live: [lowered(5, 2, 2)], steps: lower(2, 1) });
    expect(actions[0]).toMatchObject({ type: 'scale', replicas: 1, annotations: { [ORIGINAL]: '5', [APPLIED]: '1' } });
  });

  it('caps an HPA in one patch with its record, never under its own minReplicas', () => {
    const withHpa = api({ replicas: 5, hpa: { name: 'api-hpa', minReplicas: 3, maxReplicas: 10, resourceVersion: '9', annotations: {} } });
    const actions = scaleActions({ ...base, live: [withHpa], steps: lower(5, 1) });
    expect(writes(actions)).toEqual([
      { type: 'setMaxReplicas', target: { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'api-hpa' }, maxReplicas: 3, resourceVersion: '9', annotations: { [ORIGINAL_MAX]: '10', [APPLIED_MAX]: '3', [CHANGED_BY]: 'apps' } },
    ]);
    expect(reasons(actions)).toEqual(['MaxReplicasCapped']);
  });

  it('gives back part of the way recording the new applied value, and the rest forgetting its record', () => {
    const part = scaleActions({ ...base, live: [lowered(5, 1, 1)], steps: [{ kind: 'Deployment', name: 'api', from: 1, to: 3, reason: 'room' }] });
    expect(writes(part)).toEqual([{ type: 'scale', target, replicas: 3, resourceVersion: '7', annotations: { [APPLIED]: '3' } }]);
    const whole = scaleActions({ ...base, live: [lowered(5, 3, 3)], steps: [{ kind: 'Deployment', name: 'api', from: 3, to: 5, reason: 'room' }] });
    expect(writes(whole)).toEqual([{ type: 'scale', target, replicas: 5, resourceVersion: '7', annotations: { [ORIGINAL]: null, [APPLIED]: null, [CHANGED_BY]: null } }]);
    expect(reasons(whole)).toEqual(['Restored']);
  });

  it.each([[''], ['abc'], [undefined]])('with an unreadable original (%s) lets go without scaling anything', (original) => {
    const annotations: Record<string, string> = { [CHANGED_BY]: 'apps' };
    if (original !== undefined) annotations[ORIGINAL] = original;
    const actions = scaleActions({ ...base, enforcement: 'Observe', live: [api({ replicas: 1, annotations })] });
    expect(actions).toEqual([{ type: 'annotate', target, annotations: { [ORIGINAL]: null, [APPLIED]: null, [CHANGED_BY]: null } }]);
  });

  it('gives everything back when the budget is deleted, and touches nothing it did not change', () => {
    const foreign = api({ name: 'other', replicas: 1, annotations: { [ORIGINAL]: '4', [APPLIED]: '1', [CHANGED_BY]: 'someone-else' } });
    const actions = scaleActions({ ...base, deleting: true, live: [lowered(4, 1, 1), foreign] });
    expect(writes(actions)).toEqual([{ type: 'scale', target, replicas: 4, resourceVersion: '7', annotations: { [ORIGINAL]: null, [APPLIED]: null, [CHANGED_BY]: null } }]);
  });

  it('an unreadable spec (deleting, nothing declared) removes its flag and gives its scale-downs back', () => {
    const flag = JSON.stringify({ budget: 'apps', instance: 'g', level: 'Warning', percent: 90 });
    const actions = enforcementActions({ ...base, enforcement: 'Observe', deleting: true, declared: [], live: [lowered(4, 2, 2, { [FLAG]: flag })] });
    expect(writes(actions)).toEqual([
      { type: 'annotate', target, annotations: { [FLAG]: null } },
      expect.objectContaining({ type: 'scale', replicas: 4 }),
    ]);
    expect(reasons(actions)).toEqual(['WithinBudget', 'Restored']);
  });
});

describe('enforcementActions: people win (DESIGN section 8)', () => {
  it('adopts a value someone raised after the cut: forgets its record, marks the level, says so once, scales nothing', () => {
    const actions = scaleActions({ ...base, live: [lowered(5, 2, 6)], steps: lower(6, 2) });
    expect(actions).toEqual([
      { type: 'annotate', target, annotations: { [ORIGINAL]: null, [APPLIED]: null, [CHANGED_BY]: null, [ADOPTED]: JSON.stringify({ budget: 'apps', level: 'Warning' }) } },
      expect.objectContaining({ type: 'event', eventType: 'Normal', reason: 'OverrideAdopted' }),
    ]);
    expect(actions[1]).toMatchObject({ note: 'replicas set to 6 by someone else (BoltBudget shop/apps had written 2): adopted, never reverted; left alone until Neo4jInstance g changes level (now Warning)' });
  });

  it('never raises a workload a person lowered further, not even on a give-back step or on deletion', () => {
    const further = lowered(5, 3, 1);
    for (const input of [
      { ...base, live: [further], steps: [{ kind: 'Deployment' as const, name: 'api', from: 1, to: 5, reason: 'room' }] },
      { ...base, deleting: true, live: [further] },
    ]) {
      const actions = scaleActions(input);
      expect(actions.some((a) => a.type === 'scale')).toBe(false);
      expect(reasons(actions)).toEqual(['OverrideAdopted']);
    }
  });

  it('adopts an HPA maximum someone set, the original included (GitOps self-heal), and never caps it back', () => {
    const hpa = { name: 'api-hpa', minReplicas: 1, maxReplicas: 7, resourceVersion: '9', annotations: { [ORIGINAL_MAX]: '8', [APPLIED_MAX]: '2', [CHANGED_BY]: 'apps' } };
    for (const maxReplicas of [7, 8]) {
      const person = scaleActions({ ...base, live: [api({ hpa: { ...hpa, maxReplicas } })], steps: lower(3, 1) });
      expect(person.some((a) => a.type === 'setMaxReplicas')).toBe(false);
      expect(writes(person)).toEqual([
        { type: 'annotate', target: { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'api-hpa' }, annotations: { [ORIGINAL_MAX]: null, [APPLIED_MAX]: null, [CHANGED_BY]: null, [ADOPTED]: JSON.stringify({ budget: 'apps', level: 'Warning' }) } },
      ]);
      expect(reasons(person)).toEqual(['OverrideAdopted']);
    }
  });

  it('cleans up a give-back that stopped before removing its record (an earlier version\'s, live value back at the original), no event', () => {
    const halfDone = api({ replicas: 5, annotations: { [ORIGINAL]: '5', [CHANGED_BY]: 'apps' } });
    expect(scaleActions({ ...base, live: [halfDone] })).toEqual([{ type: 'annotate', target, annotations: { [ORIGINAL]: null, [APPLIED]: null, [CHANGED_BY]: null } }]);
  });

  it('leaves an adopted workload alone while the level holds, and acts again after a level transition', () => {
    const adopted = api({ replicas: 6, annotations: { [ADOPTED]: JSON.stringify({ budget: 'apps', level: 'Warning' }) } });
    expect(scaleActions({ ...base, live: [adopted], steps: lower(6, 2) })).toEqual([]);
    expect(heldBack('shop', adopted, 'Warning')).toBe(true);
    expect(heldBack('shop', adopted, 'Critical')).toBe(false);
    const later = scaleActions({ ...base, instance: { ...warning, level: 'Critical' }, live: [adopted], steps: lower(6, 2) });
    expect(writes(later)).toEqual([
      { type: 'annotate', target, annotations: { [ADOPTED]: null } },
      expect.objectContaining({ type: 'scale', replicas: 2, annotations: { [ORIGINAL]: '6', [APPLIED]: '2', [CHANGED_BY]: 'apps' } }),
    ]);
  });

  it('keeps holding an adopted workload when the level moves with another adoption in the same pass (a GitOps sync of several objects)', () => {
    const held = api({ name: 'web', replicas: 6, annotations: { [ADOPTED]: JSON.stringify({ budget: 'apps', level: 'Critical' }) } });
    const reverted = lowered(5, 4, 5);
    const input = { ...base, instance: { ...warning, level: 'Exceeded' as const }, declared: [{ kind: 'Deployment' as const, name: 'api' }, { kind: 'Deployment' as const, name: 'web' }], live: [reverted, held], steps: [{ kind: 'Deployment' as const, name: 'web', from: 6, to: 4, reason: 'over' }] };
    const actions = scaleActions(input);
    expect(actions.some((a) => a.type === 'scale')).toBe(false);
    expect(writes(actions)).toEqual([
      { type: 'annotate', target, annotations: { [ORIGINAL]: null, [APPLIED]: null, [CHANGED_BY]: null, [ADOPTED]: JSON.stringify({ budget: 'apps', level: 'Exceeded' }) } },
      { type: 'annotate', target: { ...target, name: 'web' }, annotations: { [ADOPTED]: JSON.stringify({ budget: 'apps', level: 'Exceeded' }) } },
    ]);
    expect(heldBack('shop', held, 'Exceeded', true)).toBe(true);
  });

  it('drops its adoption mark when it lets go of the workload (deleted or no longer Scale)', () => {
    const adopted = api({ replicas: 6, annotations: { [ADOPTED]: JSON.stringify({ budget: 'apps', level: 'Warning' }) } });
    expect(scaleActions({ ...base, enforcement: 'Flag', instance: { ...warning, level: 'Healthy' }, live: [adopted] })).toEqual([{ type: 'annotate', target, annotations: { [ADOPTED]: null } }]);
  });

  it('reads a record written before applied values were recorded: under the original is the operator\'s, above it a person\'s', () => {
    const legacy = (replicas: number): LiveWorkload => api({ replicas, annotations: { [ORIGINAL]: '4', [CHANGED_BY]: 'apps' } });
    expect(writes(scaleActions({ ...base, deleting: true, live: [legacy(2)] }))).toEqual([expect.objectContaining({ type: 'scale', replicas: 4 })]);
    expect(reasons(scaleActions({ ...base, deleting: true, live: [legacy(7)] }))).toEqual(['OverrideAdopted']);
  });
});

describe('instancePlans', () => {
  const spec = { connectionLimit: 1000, bufferPercent: 0, warningPercent: 80, criticalPercent: 95 };
  const parsed = boltBudgetSpec.parse({
    instanceRef: { name: 'g' },
    enforcement: 'Scale',
    workloads: [
      { kind: 'Deployment', name: 'api', poolSize: 10, priority: 0 },
      { kind: 'Deployment', name: 'web', poolSize: 10, priority: 10 },
    ],
  });
  const budget = (...live: LiveWorkload[]): PlanningBudget => ({ key: 'shop/apps', namespace: 'shop', name: 'apps', spec: parsed, live });

  it('restores a capped HPA only as far as the rise it allows fits, counted from its cap', () => {
    // Other budgets 500; api runs 1 replica under an HPA capped at 10 (originally 30). Counted from the
    // one replica it would give back up to 29, and the cap would come back as soon as the load did.
    const capped = api({ replicas: 1, hpa: { name: 'api', minReplicas: 1, maxReplicas: 10, resourceVersion: '1', annotations: { [ORIGINAL_MAX]: '30', [APPLIED_MAX]: '10', [CHANGED_BY]: 'apps' } } });
    const plans = instancePlans(spec, { planned: 510, current: 510 }, 'Healthy', [budget(capped)]);
    // At its cap: 500 + 10 x 10 = 600; 70 % is 700: ten more replicas at most.
    expect(plans.applied).toEqual([expect.objectContaining({ name: 'api', from: 10, to: 20 })]);
  });

  it('gives nothing back while the live server is loaded from elsewhere (observed view)', () => {
    const cut = lowered(30, 10, 10);
    expect(instancePlans(spec, { planned: 400, current: 400 }, 'Healthy', [budget(cut)]).applied).toEqual([expect.objectContaining({ name: 'api', from: 10, to: 30 })]);
    expect(instancePlans(spec, { planned: 400, current: 400, observed: 850 }, 'Warning', [budget(cut)]).applied).toEqual([]);
  });

  it('leaves an overridden or adopted workload out of the plan and lowers the others instead', () => {
    // 900 of 1000: api (priority 0) would go first; someone set it to 50 after the operator wrote 40.
    const overridden = api({ replicas: 50, annotations: { [ORIGINAL]: '60', [APPLIED]: '40', [CHANGED_BY]: 'apps' } });
    const web = api({ name: 'web', replicas: 40 });
    const plans = instancePlans(spec, { planned: 900, current: 900 }, 'Critical', [budget(overridden, web)]);
    expect(plans.applied.map((s) => [s.name, s.from, s.to])).toEqual([['web', 40, 30]]);
    const adopted = api({ replicas: 50, annotations: { [ADOPTED]: JSON.stringify({ budget: 'apps', level: 'Critical' }) } });
    expect(instancePlans(spec, { planned: 900, current: 900 }, 'Critical', [budget(adopted, web)]).applied.map((s) => s.name)).toEqual(['web']);
    // After a level transition it is a candidate again.
    expect(instancePlans(spec, { planned: 900, current: 900 }, 'Warning', [budget(adopted, web)]).applied.map((s) => s.name)).toEqual(['api']);
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

  it('forgets objects deleted since, and objects the caches caught up with, on a sweep', () => {
    const written = new WrittenObjects();
    written.remember('Deployment/shop/gone', { resourceVersion: '20', replicas: 1 });
    written.remember('StatefulSet/shop/behind', { resourceVersion: '30', replicas: 1 });
    written.remember('HorizontalPodAutoscaler/shop/caught-up', { resourceVersion: '40', maxReplicas: 2 });
    const cache = (objects: Record<string, string>): { get: (name: string) => { metadata: { resourceVersion: string } } | undefined; list: () => [] } => ({
      get: (name: string) => {
        const resourceVersion = objects[name];
        return resourceVersion === undefined ? undefined : { metadata: { resourceVersion } };
      },
      list: () => [],
    });
    written.sweep({ deployments: cache({}), statefulSets: cache({ behind: '25' }), autoscalers: cache({ 'caught-up': '41' }) });
    expect(written.size).toBe(1);
    expect(written.pending('StatefulSet/shop/behind', '25')).toMatchObject({ resourceVersion: '30' });
  });
});
