import { CLEAR_SCREEN } from './terminal.ts';

export interface RedrawTarget {
  write(text: string): unknown;
}

export type RedrawMode = 'terminal' | 'stream' | 'lines';

/**
 * What `--watch` does with each tree it is handed: nothing when it equals the last one; on a terminal,
 * clear the screen and draw it with a footer; on a stream (pipe, file), print it whole after a blank
 * line; as `lines` (JSON, one document per line), print it as is.
 */
export function redrawer(target: RedrawTarget, mode: RedrawMode): (text: string) => void {
  let last: string | undefined;
  return (text) => {
    if (text === last) return;
    const first = last === undefined;
    last = text;
    if (mode === 'terminal') target.write(`${CLEAR_SCREEN}${text}(watching; Ctrl-C to stop)\n`);
    else target.write(mode === 'stream' && !first ? `\n${text}` : text);
  };
}
