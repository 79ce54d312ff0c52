// helm and kubectl from the parts cache, run against the integration API server, for the chart tests.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { inject } from 'vitest';
import { runCommand } from '../../local/run-command.ts';
import { toolPath } from '../../local/tools.ts';

export const chartDir = join(import.meta.dirname, '..', '..', 'charts', 'boltbudget');
/** The values file that turns every optional part of the chart on (chart-testing's ci/ convention). */
export const allOnValues = join(chartDir, 'ci', 'all-on-values.yaml');

// helm keeps repositories, plugins and caches under these; the tests add none, so one fixed folder
// (not the user's own helm home, and nothing left behind per run) serves every run.
const helmHome = join(tmpdir(), 'boltbudget-helm-home');
const helmEnv = {
  ...process.env,
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_DATA_HOME: join(helmHome, 'data'),
  KUBECONFIG: '',
};

/** Runs helm without a cluster (template, lint). Rejects with helm's stderr on failure. */
export function helmOffline(args: readonly string[]): Promise<string> {
  return runCommand(toolPath('helm'), args, { env: helmEnv });
}

/** Runs helm; the integration API server is its cluster. Rejects with helm's stderr on failure. */
export function helm(args: readonly string[]): Promise<string> {
  return helmOffline([...args, '--kubeconfig', inject('kubeconfig')]);
}

/** Runs kubectl against the integration API server. */
export function kubectl(args: readonly string[], input?: string): Promise<string> {
  return runCommand(toolPath('kubectl'), ['--kubeconfig', inject('kubeconfig'), ...args], input === undefined ? {} : { input });
}

/** The error text of a command that must fail; throws when it succeeded. */
export async function failureOf(command: Promise<unknown>): Promise<string> {
  try {
    await command;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the command succeeded but should have failed');
}

export type RenderedObject = KubernetesObject & { kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;

/** `helm template` of the chart with the given values files and --set pairs, as objects. */
export async function renderChart(release: string, namespace: string, options: { valuesFiles?: string[]; set?: string[] } = {}): Promise<{ text: string; objects: RenderedObject[] }> {
  const args = ['template', release, chartDir, '--namespace', namespace];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const pair of options.set ?? []) args.push('--set', pair);
  const text = await helmOffline(args);
  const objects = parseAllDocuments(text)
    .map((doc) => doc.toJS() as RenderedObject | null)
    .filter((object): object is RenderedObject => object !== null);
  return { text, objects };
}

export function findObject(objects: readonly RenderedObject[], kind: string, name?: string): RenderedObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/**
 * prometheus-operator's own ServiceMonitor and PrometheusRule CRDs (test/fixtures/prometheus-operator), as
 * one YAML stream: with them a server-side dry-run checks the chart's monitoring objects against the real
 * schemas on an API server that runs no prometheus-operator.
 */
export function monitoringCrds(): string {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'prometheus-operator');
  return ['servicemonitors', 'prometheusrules'].map((name) => readFileSync(join(dir, `${name}.crd.yaml`), 'utf8')).join('\n---\n');
}
