import type { WorkloadStatus } from '../../api/bolt-budget.ts';
import type { Level } from '../../api/common.ts';

/** Whether to colour output: only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourEnabled(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

const LEVEL_COLOUR: Record<Level, string> = { Healthy: '32', Warning: '33', Critical: '31', Exceeded: '1;31' };

/** Text in the colour of a level (green, yellow, red, bold red), or as is without colour. */
export function paint(text: string, level: Level, colour: boolean): string {
  return colour ? `\u001b[${LEVEL_COLOUR[level]}m${text}\u001b[0m` : text;
}

const STATE_LEVEL: Record<WorkloadStatus['state'], Level> = { Ok: 'Healthy', Overridden: 'Warning', Missing: 'Warning', PoolOverrun: 'Critical' };

/** A workload's state in the colour of its level: Ok (and a state not known, such as `-`) stays plain. */
export function paintState(text: string, state: string, colour: boolean): string {
  const level = STATE_LEVEL[state as WorkloadStatus['state']] as Level | undefined;
  return level === undefined || level === 'Healthy' ? text : paint(text, level, colour);
}

/**
 * A utilisation bar `width` cells wide: filled up to `percent` (capped at 100), with the part past
 * 100 % shown as a trailing `+` so an overrun is visible without colour.
 */
export function utilisationBar(percent: number, width: number): string {
  const clamped = Math.max(0, Math.min(100, percent));
  const filled = Math.round((clamped / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${percent > 100 ? '+' : ''}`;
}

/** Moves the cursor home and clears the screen and its scrollback, so a redraw replaces the last tree. */
export const CLEAR_SCREEN = '\u001b[H\u001b[2J\u001b[3J';
