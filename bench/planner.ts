// Micro-benchmark of the planner: planScaleDown, planRestore (src/budget/scale-plan.ts) and the instance
// sums (src/controller/instance/instance-sums.ts) over growing numbers of workloads, each in its worst
// case (every candidate visited). Time per call is the median of several calls after a warm-up; the
// growth from the smallest to the largest size is printed next to n log n's growth.
//   npm run bench:planner [-- --sizes 10000,20000,50000,100000 --calls 15 --json]
import { parseArgs } from 'node:util';
import { planRestore, planScaleDown } from '../src/budget/scale-plan.ts';
import { instanceSums } from '../src/controller/instance/instance-sums.ts';
import { benchOutput, round, sizeFlag } from './output.ts';
import { percentile } from './stats.ts';
import { restoreInput, scaleDownInput, sumsInput } from './planner-inputs.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,20000,50000,100000' },
    calls: { type: 'string', default: '15' },
    'warm-up': { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const sizes = (values.sizes ?? '').split(',').map((size) => sizeFlag('sizes', size.trim()));
if (sizes.length < 2) throw new Error('--sizes takes at least two sizes, to show the growth');
sizes.sort((a, b) => a - b);
const calls = sizeFlag('calls', values.calls);
const warmUp = sizeFlag('warm-up', values['warm-up'], 0);
const out = benchOutput(values.json);

/** Median milliseconds per call after warm-up calls; the result is kept so the call cannot be optimised away. */
function timePerCall(call: () => unknown): number {
  let keep = 0;
  for (let i = 0; i < warmUp; i += 1) keep += Number(Boolean(call()));
  const times: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const started = performance.now();
    keep += Number(Boolean(call()));
    times.push(performance.now() - started);
  }
  if (keep < 0) throw new Error('unreachable');
  return percentile(times, 50);
}

const FUNCTIONS = ['planScaleDown', 'planRestore', 'instanceSums'] as const;
type Timed = Record<(typeof FUNCTIONS)[number], number>;

const rows: ({ workloads: number } & Timed)[] = [];
for (const n of sizes) {
  const down = scaleDownInput(n);
  const restore = restoreInput(n);
  const sums = sumsInput(n);
  // Each must do the whole of its work: every candidate lowered or given back, every workload summed.
  if (planScaleDown(down.spec, down.currentTotal, down.candidates).length !== n) throw new Error('planScaleDown did not visit every candidate');
  if (planRestore(restore.spec, restore.views, restore.candidates).length !== n) throw new Error('planRestore did not give back to every candidate');
  if (instanceSums(sums.spec, sums.budgets).rowsByBudget.size !== sums.budgets.length) throw new Error('instanceSums did not sum every budget');
  rows.push({
    workloads: n,
    planScaleDown: timePerCall(() => planScaleDown(down.spec, down.currentTotal, down.candidates)),
    planRestore: timePerCall(() => planRestore(restore.spec, restore.views, restore.candidates)),
    instanceSums: timePerCall(() => instanceSums(sums.spec, sums.budgets)),
  });
  out.progress(`${n} workloads timed`);
}

const first = rows[0] as (typeof rows)[number];
const last = rows[rows.length - 1] as (typeof rows)[number];
const nLogN = (n: number): number => n * Math.log2(n);
const nLogNGrowth = nLogN(last.workloads) / nLogN(first.workloads);
const linearGrowth = last.workloads / first.workloads;
const growth = Object.fromEntries(FUNCTIONS.map((f) => [f, round(last[f] / first[f])])) as Timed;
out.finish(
  [
    `median ms per call (${calls} calls after ${warmUp} warm-up, worst case: every candidate visited):`,
    `${'workloads'.padStart(10)} ${FUNCTIONS.map((f) => f.padStart(14)).join(' ')}`,
    ...rows.map((row) => `${String(row.workloads).padStart(10)} ${FUNCTIONS.map((f) => row[f].toFixed(2).padStart(14)).join(' ')}`),
    `growth ${first.workloads} -> ${last.workloads}: ${FUNCTIONS.map((f) => `${f} ${growth[f].toFixed(1)}x`).join(', ')}; n log n grows ${nLogNGrowth.toFixed(1)}x, n ${linearGrowth.toFixed(1)}x (target: within n log n; < 50 ms at 100,000)`,
  ],
  {
    bench: 'planner',
    workloads: last.workloads,
    planScaleDownMs: round(last.planScaleDown, 3),
    planRestoreMs: round(last.planRestore, 3),
    instanceSumsMs: round(last.instanceSums, 3),
    fromWorkloads: first.workloads,
    growth,
    nLogNGrowth: round(nLogNGrowth),
    linearGrowth: round(linearGrowth),
    calls,
    perSize: rows.map((row) => ({ workloads: row.workloads, planScaleDownMs: round(row.planScaleDown, 3), planRestoreMs: round(row.planRestore, 3), instanceSumsMs: round(row.instanceSums, 3) })),
  },
);
