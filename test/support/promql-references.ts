import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const projectRoot = join(import.meta.dirname, '..', '..');
export const RULES_FILE = join(projectRoot, 'charts', 'boltbudget', 'files', 'prometheus-rules.yaml');
export const DASHBOARD_FILE = join(projectRoot, 'charts', 'boltbudget', 'files', 'grafana-dashboard.json');

/** A label matcher of a selector: `view="planned"`. */
export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A metric a PromQL expression reads, with the label names its selector matches on. */
export interface MetricReference {
  metric: string;
  matchedLabels: string[];
  matchers: Matcher[];
}

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/**
 * The operator's metrics an expression reads (names starting with `boltbudget_`), histogram series folded
 * into their histogram's name when `isHistogram` says so. Enough PromQL for our own rules and panels, not a parser.
 */
export function metricReferences(expr: string, isHistogram: (name: string) => boolean = () => false): MetricReference[] {
  const references: MetricReference[] = [];
  for (const match of expr.matchAll(/\b(boltbudget_[a-zA-Z0-9_]+)\s*(\{([^}]*)\})?/g)) {
    const name = match[1] ?? '';
    const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s) && isHistogram(name.slice(0, -s.length)));
    const matchers = [...(match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map((m) => ({ label: m[1] ?? '', op: (m[2] ?? '=') as Matcher['op'], value: m[3] ?? '' }));
    references.push({ metric: suffix ? name.slice(0, -suffix.length) : name, matchedLabels: matchers.map((m) => m.label), matchers });
  }
  return references;
}

/** Label names an expression aggregates by or matches on (`by (...)`, `on (...)`, ...). */
export function groupingLabels(expr: string): string[] {
  return [...expr.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)].flatMap((m) =>
    (m[1] ?? '')
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean),
  );
}

export interface RuleSummary {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The alerting rules of the chart's rule file. */
export function alertRules(): RuleSummary[] {
  const document = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { rules: RuleSummary[] }[] };
  return document.groups.flatMap((group) => group.rules);
}

interface Panel {
  type: string;
  title: string;
  datasource?: unknown;
  targets?: { expr: string; datasource?: unknown }[];
  panels?: Panel[];
}

/** Every panel of the dashboard, those inside rows included. */
export function dashboardPanels(dashboard: { panels: Panel[] }): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

export function readDashboard(): { panels: Panel[]; templating: { list: { name: string; type: string; query?: unknown; datasource?: unknown }[] } } {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as ReturnType<typeof readDashboard>;
}
