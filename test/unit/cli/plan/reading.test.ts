import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { examplesDir, planJson } from './plan-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'boltbudget-plan-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** examples/multi-namespace.yaml's objects, one per element. */
const multi = parseAllDocuments(readFileSync(join(examplesDir, 'multi-namespace.yaml'), 'utf8')).map((doc) => doc.toJS() as { kind: string; metadata: { name: string; namespace?: string } });
const MULTI_INSTANCE = { name: 'shared-graph', status: { level: 'Healthy', budgets: 2, planned: { connections: 290, buffer: 58, percent: 70 }, current: { connections: 290, buffer: 58, percent: 70 }, peak: { connections: 365, percent: 73 } } };

describe('plan reads files, directories, several -f and standard input', () => {
  it('a directory recursively (.yaml, .yml and .json; other files skipped), objects spread over files', async () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'a', 'b'), { recursive: true });
    const [instance, ...rest] = multi;
    writeFileSync(join(tree, 'instance.json'), JSON.stringify(instance));
    writeFileSync(join(tree, 'a', 'workloads.yml'), rest.filter((o) => o.kind !== 'BoltBudget').map((o) => JSON.stringify(o)).join('\n---\n'));
    writeFileSync(join(tree, 'a', 'b', 'budgets.yaml'), rest.filter((o) => o.kind === 'BoltBudget').map((o) => JSON.stringify(o)).join('\n---\n'));
    writeFileSync(join(tree, 'a', 'notes.txt'), 'not: [yaml');
    const { code, document } = await planJson(['-f', tree]);
    expect(code).toBe(0);
    expect(document.instances).toEqual([MULTI_INSTANCE]);
    expect(document.budgets.map((b) => `${b.namespace}/${b.name}`)).toEqual(['catalog/catalog', 'payments/payments']);
  });

  it('kubectl\'s kind: List, other kinds ignored, repeatable -f with standard input', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: multi.filter((o) => o.kind !== 'BoltBudget') };
    const listFile = join(dir, 'list.yaml');
    writeFileSync(listFile, JSON.stringify(list));
    const budgets = multi.filter((o) => o.kind === 'BoltBudget').map((o) => JSON.stringify(o)).join('\n---\n');
    const { code, document } = await planJson(['-f', listFile, '-f', '-'], { stdin: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ignored }\n---\n${budgets}` });
    expect(code).toBe(0);
    expect(document.instances).toEqual([MULTI_INSTANCE]);
    expect(document.budgets).toHaveLength(2);
  });

  it('a file named twice, directly or through its directory, is read once (not "given twice")', async () => {
    const file = join(examplesDir, 'multi-namespace.yaml');
    const { code, document } = await planJson(['-f', file, '-f', examplesDir, '-f', join(examplesDir, '.', 'multi-namespace.yaml')]);
    expect(code).toBe(0);
    expect(document.instances.find((i) => i.name === 'shared-graph')).toEqual(MULTI_INSTANCE);
    expect(document.budgets.filter((b) => b.namespace === 'catalog' || b.namespace === 'payments')).toHaveLength(2);
  });

  it('objects without a namespace take -n (default "default"), as helm template renders them', async () => {
    const file = join(dir, 'no-namespace.yaml');
    writeFileSync(
      file,
      [
        { apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name: 'g' }, spec: { connectionLimit: 100 } },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 3, strategy: { type: 'Recreate' } } },
        { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name: 'b' }, spec: { instanceRef: { name: 'g' }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] } },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n---\n'),
    );
    const inDefault = await planJson(['-f', file]);
    expect(inDefault.document.budgets.map((b) => [b.namespace, b.status.current])).toEqual([['default', { connections: 30 }]]);
    const inTeam = await planJson(['-f', file, '-n', 'team']);
    expect(inTeam.document.budgets.map((b) => [b.namespace, b.status.current])).toEqual([['team', { connections: 30 }]]);
  });
});
