import { clock } from './summary.ts';

/** Redraws at most this often: a burst of status events is one redraw. */
const REDRAW_MS = 200;

/**
 * Where the demo talks to the person. On a terminal: one screen, redrawn, with the notes on top and
 * the tree below. Otherwise (a pipe, a CI log): notes as `[start]` lines on stderr and the tree on
 * stdout each time its text changes, under a `--- status at HH:MM:SS ---` line.
 */
export class Screen {
  private readonly notes: string[] = [];
  private tree = '';
  private printedTree = '';
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private readonly tty: boolean;
  private readonly out: NodeJS.WritableStream;
  private readonly err: NodeJS.WritableStream;

  constructor(tty: boolean, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr) {
    this.tty = tty;
    this.out = out;
    this.err = err;
  }

  note(line: string): void {
    if (this.closed || !this.tty) {
      this.err.write(`[start] ${line}\n`);
      return;
    }
    this.notes.push(line);
    this.schedule();
  }

  showTree(text: string): void {
    if (this.closed) return;
    this.tree = text;
    if (this.tty) this.schedule();
    else if (text !== this.printedTree) {
      this.printedTree = text;
      this.out.write(`--- status at ${clock(Date.now())} ---\n${text}\n`);
    }
  }

  /** Stops redrawing; whatever comes later is printed below the last screen. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.tty && !this.closed) this.draw();
    this.closed = true;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, REDRAW_MS);
  }

  private draw(): void {
    // Home, then clear to the end: the screen is rewritten in place instead of scrolling.
    this.out.write(`\u001b[H\u001b[J${this.notes.map((n) => `[start] ${n}`).join('\n')}\n\n${this.tree}\n`);
  }
}
