// The chart's README is where a Helm user looks first: its values table must keep up with values.yaml,
// and every file and document it points at must exist.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, parseDocument, type YAMLMap } from 'yaml';

const chartDir = join(import.meta.dirname, '..', '..', '..', 'charts', 'boltbudget');
const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');
const values = parseDocument(readFileSync(join(chartDir, 'values.yaml'), 'utf8')).contents as YAMLMap;

/** Key paths of values.yaml; below `resources` the README points at values.yaml as one block. */
function paths(map: YAMLMap, prefix: string[]): string[] {
  return map.items.flatMap((pair) => {
    const path = [...prefix, String((pair.key as { value: unknown }).value)];
    const nested = isMap(pair.value) && pair.value.items.length > 0 && path[0] !== 'resources';
    return nested ? paths(pair.value as YAMLMap, path) : [path.join('.')];
  });
}

/** The first column of the README's values table. */
const tableKeys = new Set([...readme.slice(readme.indexOf('## Values')).matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1] ?? ''));

describe('charts/boltbudget/README.md', () => {
  it('has a row for every top-level key of values.yaml', () => {
    const topLevel = values.items.map((pair) => String((pair.key as { value: unknown }).value));
    expect(topLevel.length).toBeGreaterThan(25);
    expect(topLevel.filter((key) => !tableKeys.has(key) && ![...tableKeys].some((row) => row.startsWith(`${key}.`)))).toEqual([]);
  });

  it('has a row for every nested key too, and none for a key values.yaml does not have', () => {
    const all = paths(values, []);
    expect(all.filter((path) => !tableKeys.has(path))).toEqual([]);
    expect([...tableKeys].filter((row) => !all.includes(row))).toEqual([]);
  });

  it('points at the files shipped with the chart and at documents that exist', () => {
    for (const file of ['files/argocd/', 'files/prometheus-rules.yaml', 'files/grafana-dashboard.json']) {
      expect(readme).toContain(`\`${file}\``);
      expect(existsSync(join(chartDir, file))).toBe(true);
    }
    const links = [...readme.matchAll(/\]\((\.\.\/[^)#]+)(#[^)]*)?\)/g)].map((match) => match[1] ?? '');
    expect(links).toContain('../../docs/install.md');
    expect(links.filter((link) => !existsSync(join(dirname(join(chartDir, 'README.md')), link)))).toEqual([]);
  });
});
