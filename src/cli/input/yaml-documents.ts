import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { fieldPath, InputError } from './input-error.ts';
import type { SourceText } from './read-sources.ts';

/** One object of the input with where it came from, so that errors can name the file, line and field. */
export interface InputObject {
  file: string;
  /** The object as plain data (YAML and JSON alike). */
  value: unknown;
  /** The line the object starts on (1-based). */
  line: number;
  /** The line of a field under the object, or of its closest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number;
}

/** The node at `path` under `root`, or the closest one on the way; with the line of its key or item. */
function lineOfPath(root: Node | null, path: readonly PropertyKey[], lines: LineCounter): number {
  const lineAt = (offset: number | undefined): number => lines.linePos(offset ?? 0).line;
  let node: unknown = root;
  let line = lineAt(root?.range?.[0]);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      line = lineAt(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) break;
      line = lineAt((item as Node).range?.[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

/** The field path of the innermost key or item that starts at or before `offset`: where a syntax error sits. */
function pathAt(root: Node | null, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.findLast((item) => isScalar(item.key) && (item.key.range?.[0] ?? Infinity) <= offset);
      if (!pair || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findLastIndex((item) => ((item as Node).range?.[0] ?? Infinity) <= offset);
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

function objectsOf(doc: Document.Parsed, file: string, lines: LineCounter): InputObject[] {
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || value === undefined) return [];
  const at = (prefix: readonly PropertyKey[]) => (path: readonly PropertyKey[]): number => lineOfPath(doc.contents, [...prefix, ...path], lines);
  const record = value as { kind?: unknown; items?: unknown };
  // kubectl's `kind: List` (and FooList) carries its objects under items.
  if (typeof record.kind === 'string' && record.kind.endsWith('List') && Array.isArray(record.items)) {
    return record.items.map((item: unknown, index) => ({ file, value: item, line: at(['items', index])([]), lineOf: at(['items', index]) }));
  }
  return [{ file, value, line: at([])([]), lineOf: at([]) }];
}

/** Every object in a YAML stream (multi-document; JSON is YAML too); a syntax error names its file and line. */
export function parseDocuments(source: SourceText): InputObject[] {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(source.text, { lineCounter: lines, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const objects: InputObject[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const path = pathAt(doc.contents, error.pos[0]);
      throw new InputError({ file: source.name, line: lines.linePos(error.pos[0]).line, ...(path.length > 0 ? { path: fieldPath(path) } : {}) }, `invalid YAML: ${error.message}`);
    }
    objects.push(...objectsOf(doc, source.name, lines));
  }
  return objects;
}
