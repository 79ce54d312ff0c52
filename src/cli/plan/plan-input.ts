import type { KubernetesObject, V1Deployment, V1StatefulSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { z } from 'zod';
import { boltBudgetSpec, type BoltBudgetSpec } from '../../api/bolt-budget.ts';
import { namespaceName, objectName } from '../../api/common.ts';
import { GROUP, VERSION } from '../../api/group.ts';
import { neo4jInstanceSpec } from '../../api/neo4j-instance.ts';
import { parseSpec } from '../../api/parse-spec.ts';
import type { BudgetResource, InstanceResource } from '../../k8s/caches.ts';
import { InputError } from '../input/input-error.ts';
import type { InputObject } from '../input/yaml-documents.ts';
import { autoscalerSpec, deploymentSpec, statefulSetSpec } from './workload-schemas.ts';

/** An object of the input with the place it was read from. */
export interface Located<T> {
  object: T;
  source: InputObject;
}

/** The objects a plan reads, valid as the API server and the operator would take them. */
export interface PlanInput {
  instances: Located<InstanceResource>[];
  budgets: Located<BudgetResource>[];
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  autoscalers: V2HorizontalPodAutoscaler[];
}

type Kind = 'Neo4jInstance' | 'BoltBudget' | 'Deployment' | 'StatefulSet' | 'HorizontalPodAutoscaler';

/** The kinds a plan reads, by apiVersion and kind; other kinds are ignored. */
function kindOf(apiVersion: string, kind: string): Kind | undefined {
  if (apiVersion.startsWith(`${GROUP}/`) && (kind === 'Neo4jInstance' || kind === 'BoltBudget')) return kind;
  if (apiVersion === 'apps/v1' && (kind === 'Deployment' || kind === 'StatefulSet')) return kind;
  // The API server serves an autoscaling/v1 HPA as autoscaling/v2 too: the operator sees both.
  if ((apiVersion === 'autoscaling/v2' || apiVersion === 'autoscaling/v1') && kind === 'HorizontalPodAutoscaler') return kind;
  return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses one field group with a zod schema; the error names the file, the line of the first bad field, and every bad field. */
function checked<T>(source: InputObject, what: string, prefix: readonly PropertyKey[], schema: z.ZodType<T>, value: unknown, label = 'spec'): T {
  const parsed = parseSpec(schema, value);
  if (parsed.ok) return parsed.value;
  const first = schema.safeParse(value).error?.issues[0]?.path ?? [];
  const message = label === 'spec' ? parsed.message : parsed.message.replace(/(^|; )spec/g, `$1${label}`);
  throw new InputError({ file: source.file, line: source.lineOf([...prefix, ...first]) }, `${what}: ${message}`);
}

/** A budget lists each (kind, name) once: the CRD's list-map key, which the API server enforces. */
function uniqueWorkloads(source: InputObject, what: string, spec: BoltBudgetSpec): void {
  const seen = new Map<string, number>();
  spec.workloads.forEach((workload, index) => {
    const id = `${workload.kind}/${workload.name}`;
    const first = seen.get(id);
    if (first !== undefined) throw new InputError({ file: source.file, line: source.lineOf(['spec', 'workloads', index]) }, `${what}: spec.workloads[${index}]: duplicate of spec.workloads[${first}] (${id})`);
    seen.set(id, index);
  });
}

function where(source: InputObject): string {
  return `${source.file}:${source.line}`;
}

/**
 * Picks the Neo4jInstances, BoltBudgets, Deployments, StatefulSets and HPAs out of the input and checks
 * what the API server would check before the operator saw them. Objects without a namespace take
 * `defaultNamespace` (as `helm template` renders them). Anything else is ignored.
 */
export function selectObjects(objects: readonly InputObject[], defaultNamespace: string): PlanInput {
  const input: PlanInput = { instances: [], budgets: [], deployments: [], statefulSets: [], autoscalers: [] };
  const seen = new Map<string, InputObject>();
  for (const source of objects) {
    const value = source.value;
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') continue;
    const kind = kindOf(value.apiVersion, value.kind);
    if (!kind) continue;
    if ((kind === 'Neo4jInstance' || kind === 'BoltBudget') && value.apiVersion !== `${GROUP}/${VERSION}`) {
      throw new InputError({ file: source.file, line: source.lineOf(['apiVersion']) }, `apiVersion: ${value.apiVersion} is not served; ${kind} is ${GROUP}/${VERSION}`);
    }
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    const name = checked(source, kind, ['metadata', 'name'], objectName, metadata.name, 'metadata.name');
    const clusterScoped = kind === 'Neo4jInstance';
    const namespace = clusterScoped ? undefined : metadata.namespace === undefined ? defaultNamespace : checked(source, `${kind} ${name}`, ['metadata', 'namespace'], namespaceName, metadata.namespace, 'metadata.namespace');
    const what = `${kind} ${namespace === undefined ? '' : `${namespace}/`}${name}`;
    const id = `${kind} ${namespace ?? ''}/${name}`;
    const earlier = seen.get(id);
    if (earlier) throw new InputError({ file: source.file, line: source.line }, `${what} is given twice (first at ${where(earlier)})`);
    seen.set(id, source);
    const objectMeta = { ...metadata, name, ...(namespace === undefined ? {} : { namespace }) };
    const object = { ...value, metadata: objectMeta } as KubernetesObject & Record<string, unknown>;
    switch (kind) {
      case 'Neo4jInstance':
        checked(source, what, ['spec'], neo4jInstanceSpec, value.spec);
        input.instances.push({ object: object, source });
        break;
      case 'BoltBudget':
        uniqueWorkloads(source, what, checked(source, what, ['spec'], boltBudgetSpec, value.spec));
        input.budgets.push({ object: object, source });
        break;
      case 'Deployment':
        checked(source, what, ['spec'], deploymentSpec, value.spec);
        input.deployments.push(object);
        break;
      case 'StatefulSet':
        checked(source, what, ['spec'], statefulSetSpec, value.spec);
        input.statefulSets.push(object);
        break;
      case 'HorizontalPodAutoscaler':
        checked(source, what, ['spec'], autoscalerSpec, value.spec);
        input.autoscalers.push(object as unknown as V2HorizontalPodAutoscaler);
        break;
    }
  }
  return input;
}
