// Writes crds/*.yaml and the chart's templates/crds/*.yaml from the zod schemas in src/api (the single
// source of truth); a unit test fails when either drifts.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { allCrds } from '../src/api/crd/definitions.ts';
import { renderChartCrd, renderCrd } from '../src/api/crd/render.ts';

const root = join(import.meta.dirname, '..');
const targets = [
  { dir: 'crds', render: renderCrd },
  { dir: join('charts', 'boltbudget', 'templates', 'crds'), render: renderChartCrd },
];
for (const { dir, render } of targets) {
  mkdirSync(join(root, dir), { recursive: true });
  for (const crd of allCrds()) {
    const { fileName, text } = render(crd);
    writeFileSync(join(root, dir, fileName), text);
    process.stdout.write(`wrote ${join(dir, fileName)}\n`);
  }
}
