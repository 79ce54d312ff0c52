import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCrds } from '../../../src/api/crd/definitions.ts';
import { renderCrd } from '../../../src/api/crd/render.ts';

describe('crds/', () => {
  it.each(allCrds().map((crd) => [crd.metadata.name, crd] as const))('%s matches the zod schemas (run `npm run crds` when this fails)', (_name, crd) => {
    const { fileName, text } = renderCrd(crd);
    const onDisk = readFileSync(join(import.meta.dirname, '..', '..', '..', 'crds', fileName), 'utf8');
    expect(onDisk).toBe(text);
  });
});
