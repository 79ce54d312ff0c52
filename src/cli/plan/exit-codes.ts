import type { Level } from '../../api/common.ts';

/** Unreadable or invalid input (files, YAML, specs, arguments): nothing is printed on stdout. */
export const EXIT_INPUT = 3;

const BY_LEVEL: Record<Level, number> = { Healthy: 0, Warning: 1, Critical: 2, Exceeded: 2 };

/** 0 when every instance is Healthy, 1 at Warning, 2 at Critical or Exceeded. */
export function exitCodeOf(level: Level): number {
  return BY_LEVEL[level];
}
