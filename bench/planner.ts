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
import { inOperatorOrder, restoreInput, scaleDownInput, sumsInput } from './planner-inputs.ts';

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

/** One call's cost: wall-clock, and the main thread's CPU time (what the call cost on a shared, loaded machine). */
interface Cost {
  wall: number;
  cpu: number;
}

/** Each timed sample repeats the call until the thread's CPU clock, which ticks coarsely, has counted this much. */
const SAMPLE_CPU_MS = 20;

const cpuMsSince = (before: NodeJS.CpuUsage): number => {
  const used = process.threadCpuUsage(before);
  return (used.user + used.system) / 1000;
};

/** Median milliseconds per call after warm-up calls; the results are kept so the calls cannot be optimised away. */
function timePerCall(call: () => unknown): Cost {
  let keep = 0;
  for (let i = 0; i < warmUp; i += 1) keep += Number(Boolean(call()));
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const cpuBefore = process.threadCpuUsage();
    const started = performance.now();
    let repetitions = 0;
    let cpu = 0;
    while (cpu < SAMPLE_CPU_MS) {
      keep += Number(Boolean(call()));
      repetitions += 1;
      cpu = cpuMsSince(cpuBefore);
    }
    walls.push((performance.now() - started) / repetitions);
    cpus.push(cpu / repetitions);
  }
  if (keep < 0) throw new Error('unreachable');
  return { wall: percentile(walls, 50), cpu: percentile(cpus, 50) };
}

const FUNCTIONS = ['planScaleDown', 'planRestore', 'instanceSums'] as const;
type Timed = Record<(typeof FUNCTIONS)[number], Cost> & { planScaleDownShuffled: Cost; planRestoreShuffled: Cost };

const rows: ({ workloads: number } & Timed)[] = [];
for (const n of sizes) {
  // The planner's inputs as the operator hands them over (by budget, then key); the shuffled ones are
  // timed too, as the cost of the order the planner then has to sort itself.
  const shuffledDown = scaleDownInput(n);
  const shuffledRestore = restoreInput(n);
  const down = { ...shuffledDown, candidates: inOperatorOrder(shuffledDown.candidates) };
  const restore = { ...shuffledRestore, candidates: inOperatorOrder(shuffledRestore.candidates) };
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
    planScaleDownShuffled: timePerCall(() => planScaleDown(shuffledDown.spec, shuffledDown.currentTotal, shuffledDown.candidates)),
    planRestoreShuffled: timePerCall(() => planRestore(shuffledRestore.spec, shuffledRestore.views, shuffledRestore.candidates)),
  });
  out.progress(`${n} workloads timed`);
}

const first = rows[0] as (typeof rows)[number];
const last = rows[rows.length - 1] as (typeof rows)[number];
const nLogN = (n: number): number => n * Math.log2(n);
const nLogNGrowth = nLogN(last.workloads) / nLogN(first.workloads);
const linearGrowth = last.workloads / first.workloads;
// Growth in CPU time: wall-clock on a shared machine also grows with whatever else ran meanwhile.
const growth = Object.fromEntries(FUNCTIONS.map((f) => [f, round(last[f].cpu / first[f].cpu)])) as Record<(typeof FUNCTIONS)[number], number>;
const cell = (cost: Cost): string => `${cost.wall.toFixed(2)} (${cost.cpu.toFixed(2)})`.padStart(18);
out.finish(
  [
    `median ms per call, wall (main thread CPU), ${calls} samples of at least ${SAMPLE_CPU_MS} ms CPU after ${warmUp} warm-up calls, worst case: every candidate visited:`,
    `${'workloads'.padStart(10)} ${FUNCTIONS.map((f) => f.padStart(18)).join(' ')}`,
    ...rows.map((row) => `${String(row.workloads).padStart(10)} ${FUNCTIONS.map((f) => cell(row[f])).join(' ')}`),
    `CPU growth ${first.workloads} -> ${last.workloads}: ${FUNCTIONS.map((f) => `${f} ${growth[f].toFixed(1)}x`).join(', ')}; n log n grows ${nLogNGrowth.toFixed(1)}x, n ${linearGrowth.toFixed(1)}x (target: within n log n; < 50 ms at 100,000)`,
    `candidates in random order (the planner sorts them itself) at ${last.workloads}: planScaleDown ${cell(last.planScaleDownShuffled).trim()}, planRestore ${cell(last.planRestoreShuffled).trim()}`,
  ],
  {
    bench: 'planner',
    workloads: last.workloads,
    planScaleDownMs: round(last.planScaleDown.wall, 3),
    planRestoreMs: round(last.planRestore.wall, 3),
    instanceSumsMs: round(last.instanceSums.wall, 3),
    planScaleDownCpuMs: round(last.planScaleDown.cpu, 3),
    planRestoreCpuMs: round(last.planRestore.cpu, 3),
    instanceSumsCpuMs: round(last.instanceSums.cpu, 3),
    planScaleDownShuffledMs: round(last.planScaleDownShuffled.wall, 3),
    planRestoreShuffledMs: round(last.planRestoreShuffled.wall, 3),
    fromWorkloads: first.workloads,
    growth,
    nLogNGrowth: round(nLogNGrowth),
    linearGrowth: round(linearGrowth),
    calls,
    perSize: rows.map((row) => ({
      workloads: row.workloads,
      ...Object.fromEntries(FUNCTIONS.flatMap((f) => [[`${f}Ms`, round(row[f].wall, 3)], [`${f}CpuMs`, round(row[f].cpu, 3)]])),
    })),
  },
);
