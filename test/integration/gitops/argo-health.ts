import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { toolPath } from '../../../local/tools.ts';

const run = promisify(execFile);
export const ARGOCD_DIR = join(import.meta.dirname, '..', '..', '..', 'charts', 'boltbudget', 'files', 'argocd');

export type HealthKind = 'BoltBudget' | 'Neo4jInstance';
export const HEALTH_KEYS: Record<HealthKind, string> = {
  BoltBudget: 'resource.customizations.health.boltbudget.io_BoltBudget',
  Neo4jInstance: 'resource.customizations.health.boltbudget.io_Neo4jInstance',
};

/** The health scripts exactly as a user pastes them: from the argocd-cm snippet. */
export function argocdCmScripts(): Record<string, string> {
  const cm = parse(readFileSync(join(ARGOCD_DIR, 'argocd-cm.yaml'), 'utf8')) as { data: Record<string, string> };
  return cm.data;
}

/** A Lua 5.1 string literal: printable ASCII as is, everything else as decimal byte escapes (Lua 5.1 has no \u). */
function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c;
    out += printable ? String.fromCharCode(byte) : `\\${byte}`;
  }
  return `${out}"`;
}

/**
 * A JSON value as a Lua table literal, the way Argo CD hands `obj` to a health script: objects become
 * tables with string keys, arrays 1-based sequences, JSON null nil.
 */
export function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return luaString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
    return Number.isInteger(value) ? value.toFixed(0) : String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `{${value.map(toLua).join(', ')}}`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => `[${luaString(key)}] = ${toLua(item)}`);
    return `{${fields.join(', ')}}`;
  }
  throw new Error(`cannot express ${typeof value} in Lua`);
}

// Argo CD opens only the base, table, string and math libraries (and a safe os): the script gets no more here.
const RUNNER = `
local script = assert(io.open(arg[1])):read("*a")
local check = assert(loadstring(script))
io, os, debug, dofile, loadfile, require = nil, nil, nil, nil, nil, nil
local hs = check()
print(hs.status)
print(hs.message)
`;

export interface Health {
  status: string;
  message: string;
}

/** Runs the kind's health script from argocd-cm.yaml under gopher-lua's glua (Argo CD's Lua) with `obj` set. */
export async function argoHealth(kind: HealthKind, object: unknown): Promise<Health> {
  const dir = mkdtempSync(join(tmpdir(), 'argo-health-'));
  try {
    const scriptFile = join(dir, 'health.lua');
    const mainFile = join(dir, 'main.lua');
    writeFileSync(scriptFile, argocdCmScripts()[HEALTH_KEYS[kind]] ?? '');
    writeFileSync(mainFile, `obj = ${toLua(object)}\n${RUNNER}`);
    const { stdout } = await run(toolPath('glua'), [mainFile, scriptFile], { timeout: 10_000 });
    const [status = '', ...message] = stdout.replace(/\n$/, '').split('\n');
    return { status, message: message.join('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
