import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './plan-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'boltbudget-plan-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INSTANCE = `apiVersion: boltbudget.io/v1alpha1
kind: Neo4jInstance
metadata:
  name: g
spec:
  connectionLimit: 100
`;

/** Writes `text` to a file of its own and plans it; the lines in the texts below are numbered from 1. */
async function planText(name: string, text: string, extra: readonly string[] = []): Promise<CliRun & { file: string }> {
  const file = join(dir, name);
  writeFileSync(file, text);
  return { ...(await runCli(['plan', '-f', file, ...extra])), file };
}

/** Exit 3, nothing on stdout, and exactly this one line on stderr. */
function expectInputError(run: CliRun, message: string): void {
  expect(run.stderr).toBe(`boltbudget plan: ${message}\n`);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(3);
}

describe('plan: unreadable input is exit 3 with file, line and field path, and nothing on stdout', () => {
  it('bad YAML syntax: the line and the field the error sits in', async () => {
    const run = await planText(
      'bad-syntax.yaml',
      `${INSTANCE}---
apiVersion: boltbudget.io/v1alpha1
kind: BoltBudget
metadata:
  name: orders
  namespace: shop
spec:
  instanceRef:
    name: g
  workloads:
    - kind: Deployment
      name: api
      poolSize: 10
      poolSize: 11
`,
    );
    expectInputError(run, `${run.file}:20: spec.workloads[0].poolSize: invalid YAML: Map keys must be unique`);
  });

  it('bad YAML on standard input names <stdin>', async () => {
    const run = await runCli(['plan', '-f', '-'], { stdin: `${INSTANCE}  bufferPercent: [10, 20\n` });
    expectInputError(run, '<stdin>:8: spec.bufferPercent[1]: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]');
  });

  it('a BoltBudget with an invalid field: the zod message naming spec.workloads[1].poolSize, on its line', async () => {
    const run = await planText(
      'invalid-budget.yaml',
      `${INSTANCE}---
apiVersion: boltbudget.io/v1alpha1
kind: BoltBudget
metadata:
  name: orders
  namespace: shop
spec:
  instanceRef:
    name: g
  workloads:
    - kind: Deployment
      name: api
      poolSize: 10
    - kind: Deployment
      name: worker
      poolSize: 0
`,
    );
    expectInputError(run, `${run.file}:22: BoltBudget shop/orders: spec.workloads[1].poolSize: Too small: expected number to be >=1`);
  });

  it('a BoltBudget without a required field: the line of the item that lacks it', async () => {
    const run = await planText(
      'missing-field.yaml',
      `${INSTANCE}---
apiVersion: boltbudget.io/v1alpha1
kind: BoltBudget
metadata: { name: orders, namespace: shop }
spec:
  instanceRef: { name: g }
  enforcement: Sometimes
  workloads:
    - kind: Deployment
      name: api
`,
    );
    expectInputError(
      run,
      `${run.file}:13: BoltBudget shop/orders: spec.enforcement: Invalid option: expected one of "Observe"|"Flag"|"Scale"; spec.workloads[0].poolSize: Invalid input: expected number, received undefined`,
    );
  });

  it('a Neo4jInstance whose warning line is not under its critical line (the CRD\'s CEL rule)', async () => {
    const run = await planText('thresholds.yaml', `${INSTANCE}  warningPercent: 90\n  criticalPercent: 90\n`);
    expectInputError(run, `${run.file}:7: Neo4jInstance g: spec.warningPercent: must be less than spec.criticalPercent`);
  });

  it('a Deployment whose replicas is not a number', async () => {
    const run = await planText(
      'replicas.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: "3"
`,
    );
    expectInputError(run, `${run.file}:7: Deployment shop/api: spec.replicas: Invalid input: expected number, received string`);
  });

  it('a budget listing the same workload twice (the CRD\'s list-map key)', async () => {
    const run = await planText(
      'duplicate-workload.yaml',
      `${INSTANCE}---
apiVersion: boltbudget.io/v1alpha1
kind: BoltBudget
metadata: { name: orders, namespace: shop }
spec:
  instanceRef: { name: g }
  workloads:
    - { kind: Deployment, name: api, poolSize: 10 }
    - { kind: Deployment, name: api, poolSize: 20 }
`,
    );
    expectInputError(run, `${run.file}:15: BoltBudget shop/orders: spec.workloads[1]: duplicate of spec.workloads[0] (Deployment/api)`);
  });

  it('the same object twice, and a version of the API that is not served', async () => {
    const twice = await planText('twice.yaml', `${INSTANCE}---\n${INSTANCE}`);
    expectInputError(twice, `${twice.file}:8: Neo4jInstance g is given twice (first at ${twice.file}:1)`);
    const version = await planText('version.yaml', INSTANCE.replace('v1alpha1', 'v1'));
    expectInputError(version, `${version.file}:1: apiVersion: boltbudget.io/v1 is not served; Neo4jInstance is boltbudget.io/v1alpha1`);
  });

  it('an invalid object name', async () => {
    const run = await planText('name.yaml', INSTANCE.replace('name: g', 'name: Graph_1'));
    expect(run.stderr).toContain(`${run.file}:4: Neo4jInstance: metadata.name: Invalid string`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(3);
  });

  it('a missing file', async () => {
    const missing = join(dir, 'nowhere', 'budget.yaml');
    expectInputError(await runCli(['plan', '-f', missing]), `${missing}: no such file or directory`);
  });

  it('no -f, input without any instance or budget, and a bad -o are exit 3 too (never a 1 that reads as Warning)', async () => {
    expectInputError(await runCli(['plan']), 'nothing to read: give -f FILE, -f DIR or -f - (standard input)');
    const configMap = await planText('other.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n');
    expectInputError(configMap, `no Neo4jInstance or BoltBudget in ${configMap.file}`);
    const badOutput = await runCli(['plan', '-f', configMap.file, '-o', 'xml']);
    expect(badOutput.code).toBe(3);
    expect(badOutput.stdout).toBe('');
    expect(badOutput.stderr).toContain("error: option '-o, --output <format>' argument 'xml' is invalid. Allowed choices are table, json, yaml.");
  });
});
