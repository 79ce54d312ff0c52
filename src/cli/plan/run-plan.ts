import type { BudgetResource, InstanceResource } from '../../k8s/caches.ts';
import { flushed, type CliIo } from '../input/cli-io.ts';
import { InputError } from '../input/input-error.ts';
import { readSources } from '../input/read-sources.ts';
import { parseDocuments } from '../input/yaml-documents.ts';
import { colourEnabled } from '../render/terminal.ts';
import { computePlan } from './compute-plan.ts';
import { EXIT_INPUT, exitCodeOf } from './exit-codes.ts';
import { memorySources } from './memory-sources.ts';
import { selectObjects, type Located, type PlanInput } from './plan-input.ts';
import { renderJson, renderYaml } from './render-data.ts';
import { renderTable } from './render-table.ts';
import { syntheticInstance } from './synthetic-instance.ts';

export const OUTPUTS = ['table', 'json', 'yaml'] as const;

export interface PlanOptions {
  filename: readonly string[];
  output: (typeof OUTPUTS)[number];
  namespace: string;
  instance?: string;
  limit?: string;
}

/** The instances to plan against: the files' and `--instance`'s, which must not name the same one. */
function instancesOf(input: PlanInput, options: PlanOptions): InstanceResource[] {
  const instances = input.instances.map((i) => i.object);
  const synthetic = syntheticInstance(options.instance, options.limit);
  if (!synthetic) return instances;
  const clash = input.instances.find((i) => i.object.metadata?.name === options.instance);
  if (clash) throw new InputError({}, `--instance ${options.instance}: a Neo4jInstance of that name is in the input (${clash.source.file}:${clash.source.line}); drop one of them`);
  return [...instances, synthetic];
}

/** A budget whose instance is nowhere cannot be planned: the operator would only say InstanceNotFound. */
function checkInstanceRefs(budgets: readonly Located<BudgetResource>[], instances: readonly InstanceResource[]): void {
  const names = new Set(instances.map((i) => i.metadata?.name));
  for (const { object, source } of budgets) {
    const name = (object.spec as { instanceRef: { name: string } }).instanceRef.name;
    if (names.has(name)) continue;
    throw new InputError(
      { file: source.file, line: source.lineOf(['spec', 'instanceRef', 'name']) },
      `BoltBudget ${object.metadata?.namespace}/${object.metadata?.name}: spec.instanceRef.name: Neo4jInstance ${name} is neither in the input nor given with --instance ${name} --limit N`,
    );
  }
}

async function readInput(options: PlanOptions, io: CliIo): Promise<PlanInput> {
  if (options.filename.length === 0) throw new InputError({}, 'nothing to read: give -f FILE, -f DIR or -f - (standard input)');
  const sources = await readSources(options.filename, io.stdin);
  return selectObjects(sources.flatMap(parseDocuments), options.namespace);
}

/**
 * `boltbudget plan`: reads the files, computes what the operator would write, prints it and returns the
 * exit code (0 Healthy, 1 Warning, 2 Critical or Exceeded, 3 unreadable input with only stderr written).
 */
export async function runPlan(options: PlanOptions, io: CliIo, now: Date = new Date()): Promise<number> {
  let output: string;
  let code: number;
  try {
    const input = await readInput(options, io);
    const instances = instancesOf(input, options);
    if (instances.length === 0 && input.budgets.length === 0) throw new InputError({}, `no Neo4jInstance or BoltBudget in ${options.filename.join(', ')}`);
    checkInstanceRefs(input.budgets, instances);
    const plan = computePlan(
      memorySources({ instances, budgets: input.budgets.map((b) => b.object), deployments: input.deployments, statefulSets: input.statefulSets, autoscalers: input.autoscalers }),
      now,
    );
    output = options.output === 'json' ? renderJson(plan) : options.output === 'yaml' ? renderYaml(plan) : renderTable(plan, colourEnabled(io.stdout, io.env));
    code = exitCodeOf(plan.level);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr.write(`boltbudget plan: ${error.message}\n`);
    await flushed(io.stderr);
    return EXIT_INPUT;
  }
  io.stdout.write(output);
  // The caller may exit the process with the code right after this.
  await flushed(io.stdout);
  return code;
}
