// Writes crds/*.yaml from the zod schemas in src/api (the single source of truth).
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { allCrds } from '../src/api/crd/definitions.ts';
import { renderCrd } from '../src/api/crd/render.ts';

const dir = join(import.meta.dirname, '..', 'crds');
mkdirSync(dir, { recursive: true });
for (const crd of allCrds()) {
  const { fileName, text } = renderCrd(crd);
  writeFileSync(join(dir, fileName), text);
  process.stdout.write(`wrote crds/${fileName}\n`);
}
