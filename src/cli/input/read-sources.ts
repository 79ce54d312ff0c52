import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from './input-error.ts';

/** One input's text and the name errors call it by. */
export interface SourceText {
  name: string;
  text: string;
}

export const STDIN_NAME = '<stdin>';
const MANIFEST = /\.(ya?ml|json)$/i;

async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Every .yaml, .yml and .json file under a directory, in name order at each level. */
async function manifestsUnder(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await manifestsUnder(path)));
    else if (entry.isFile() && MANIFEST.test(entry.name)) files.push(path);
  }
  return files;
}

async function readFileText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError({ file: path }, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/**
 * The texts named by `-f` arguments, in order: a file as it is (whatever its extension), a directory's
 * manifests recursively, `-` standard input. Each is read once however often it is named (`-f dir -f
 * dir/a.yaml`): its objects are not "given twice".
 */
export async function readSources(paths: readonly string[], stdin: AsyncIterable<string | Uint8Array>): Promise<SourceText[]> {
  const sources: SourceText[] = [];
  const read = new Set<string>();
  for (const path of paths) {
    if (path === '-') {
      if (!read.has(STDIN_NAME)) sources.push({ name: STDIN_NAME, text: await readAll(stdin) });
      read.add(STDIN_NAME);
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError({ file: path }, code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code ?? (error as Error).message}`, { cause: error });
    }
    const files = isDirectory ? await manifestsUnder(path) : [path];
    for (const file of files) {
      if (read.has(resolve(file))) continue;
      read.add(resolve(file));
      sources.push({ name: file, text: await readFileText(file) });
    }
  }
  return sources;
}
