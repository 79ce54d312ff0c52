import { describe, expect, it } from 'vitest';
import { redrawer } from '../../../../src/cli/render/redraw.ts';
import { CLEAR_SCREEN } from '../../../../src/cli/render/terminal.ts';

const collect = (): { written: string[]; write: (text: string) => void } => {
  const written: string[] = [];
  return { written, write: (text) => written.push(text) };
};

describe('--watch redraws', () => {
  it('on a terminal: clears the screen and draws the whole tree with a footer', () => {
    const out = collect();
    const redraw = redrawer(out, 'terminal');
    redraw('tree 1\n');
    redraw('tree 2\n');
    expect(out.written).toEqual([`${CLEAR_SCREEN}tree 1\n(watching; Ctrl-C to stop)\n`, `${CLEAR_SCREEN}tree 2\n(watching; Ctrl-C to stop)\n`]);
  });

  it('on a pipe: the whole tree again after one blank line, no escape code', () => {
    const out = collect();
    const redraw = redrawer(out, 'stream');
    redraw('a\nb\n');
    redraw('a\nc\n');
    expect(out.written.join('')).toBe('a\nb\n\na\nc\n');
    expect(out.written.join('')).not.toContain('\u001b');
  });

  it('prints nothing for a tree equal to the last one; JSON lines without separators', () => {
    const out = collect();
    const redraw = redrawer(out, 'lines');
    redraw('{"a":1}\n');
    redraw('{"a":1}\n');
    redraw('{"a":2}\n');
    expect(out.written).toEqual(['{"a":1}\n', '{"a":2}\n']);
  });
});
