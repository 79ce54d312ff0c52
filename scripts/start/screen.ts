/** A time of day as people read it on this machine. */
export function clock(at: string | number | Date): string {
  return new Date(at).toLocaleTimeString('en-GB');
}

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
    // Until there is a tree, lines scroll as usual, so the parts' build progress stays in between.
    if (this.closed || !this.tty || this.tree === '') this.err.write(`[start] ${line}\n`);
    if (this.closed || !this.tty) return;
    this.notes.push(line);
    if (this.tree !== '') this.schedule();
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
    const size = this.out as { rows?: number; columns?: number };
    const tree = this.tree.split('\n');
    const notes = this.notes.map((n) => `[start] ${n}`);
    // The newest notes that fit above the tree, so that a redraw never scrolls the terminal.
    const free = (size.rows ?? 50) - screenRows(tree, size.columns ?? 160) - 2;
    const shown: string[] = [];
    for (const note of [...notes].reverse()) {
      if (screenRows([...shown, note], size.columns ?? 160) > free) break;
      shown.unshift(note);
    }
    // Home, then clear to the end: the screen is rewritten in place instead of scrolling.
    this.out.write(`\u001b[H\u001b[J${shown.join('\n')}\n\n${tree.join('\n')}\n`);
  }
}

/** Terminal rows the lines take, wrapped at `columns` (colour codes take no room). */
function screenRows(lines: readonly string[], columns: number): number {
  // eslint-disable-next-line no-control-regex -- the escape sequences of paint()
  return lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(line.replace(/\u001b\[[0-9;]*m/g, '').length / Math.max(1, columns))), 0);
}
