import type { Level } from '../api/common.ts';

export interface Thresholds {
  warningPercent: number;
  criticalPercent: number;
}

const ORDER: Record<Level, number> = { Healthy: 0, Warning: 1, Critical: 2, Exceeded: 3 };

/** The level of a utilisation: each line is a limit, not over it (80 % on an 80 % line is Healthy). */
export function levelOf(percent: number, thresholds: Thresholds): Level {
  if (percent > 100) return 'Exceeded';
  if (percent > thresholds.criticalPercent) return 'Critical';
  if (percent > thresholds.warningPercent) return 'Warning';
  return 'Healthy';
}

export function levelRank(level: Level): number {
  return ORDER[level];
}

export function worstLevel(levels: readonly Level[]): Level {
  return levels.reduce<Level>((worst, level) => (ORDER[level] > ORDER[worst] ? level : worst), 'Healthy');
}

/** True at Warning or worse: the level at which budgets act. */
export function isOverWarning(level: Level): boolean {
  return ORDER[level] >= ORDER.Warning;
}
