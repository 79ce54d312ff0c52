import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCrds } from '../../../src/api/crd/definitions.ts';
import { renderChartCrd, renderCrd } from '../../../src/api/crd/render.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const chartCrds = join(root, 'charts', 'boltbudget', 'templates', 'crds');

describe('crds/', () => {
  it.each(allCrds().map((crd) => [crd.metadata.name, crd] as const))('%s matches the zod schemas (run `npm run crds` when this fails)', (_name, crd) => {
    const { fileName, text } = renderCrd(crd);
    const onDisk = readFileSync(join(root, 'crds', fileName), 'utf8');
    expect(onDisk).toBe(text);
  });
});

describe('charts/boltbudget/templates/crds/', () => {
  it.each(allCrds().map((crd) => [crd.metadata.name, crd] as const))('%s matches the zod schemas (run `npm run crds` when this fails)', (_name, crd) => {
    const { fileName, text } = renderChartCrd(crd);
    expect(readFileSync(join(chartCrds, fileName), 'utf8')).toBe(text);
  });

  it('holds exactly the generated CRDs (no stale file of a renamed kind)', () => {
    expect(readdirSync(chartCrds).sort()).toEqual(allCrds().map((crd) => renderChartCrd(crd).fileName).sort());
  });

  it('carries the same spec as crds/, behind crds.install and with the keep policy (Helm and Argo CD) behind crds.keep', () => {
    for (const crd of allCrds()) {
      const chart = renderChartCrd(crd).text;
      const plain = renderCrd(crd).text;
      expect(chart.startsWith('{{- if .Values.crds.install }}\n')).toBe(true);
      expect(chart).toMatch(/\{\{- if \.Values\.crds\.keep \}\}\n {2}annotations:\n {4}helm\.sh\/resource-policy: keep\n {4}argocd\.argoproj\.io\/sync-options: Prune=false,Delete=false\n {2}\{\{- end \}\}\n/);
      expect(chart.slice(chart.indexOf('\nspec:\n'), chart.lastIndexOf('{{- end }}'))).toBe(plain.slice(plain.indexOf('\nspec:\n')));
    }
  });
});
