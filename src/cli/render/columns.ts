/** A cell of a text table: right-aligned for figures, and an optional wrapper (colour) applied after padding. */
export interface Cell {
  text: string;
  right?: boolean;
  style?: (padded: string) => string;
}

/** Lines of a table with columns as wide as their widest cell, two spaces apart; trailing spaces trimmed. */
export function columns(rows: readonly (readonly Cell[])[], indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.text.length)));
  return rows.map((row) => {
    const cells = row.map((cell, index) => {
      const width = widths[index] ?? 0;
      const padded = index === row.length - 1 && !cell.right ? cell.text : cell.right ? cell.text.padStart(width) : cell.text.padEnd(width);
      return cell.style ? cell.style(padded) : padded;
    });
    return `${indent}${cells.join('  ')}`.trimEnd();
  });
}
