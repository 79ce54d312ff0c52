/**
 * Rows of a kubectl table as objects keyed by header, cut at the header's column starts (an empty
 * cell, such as an unset printer column, stays an empty string instead of shifting the rest).
 */
export function parseTable(output: string): Record<string, string>[] {
  const [header = '', ...rows] = output.replace(/\n+$/, '').split('\n');
  const columns = [...header.matchAll(/\S+/g)].map((match) => ({ name: match[0], start: match.index }));
  return rows.map((row) =>
    Object.fromEntries(columns.map((column, i) => [column.name, row.slice(column.start, columns[i + 1]?.start ?? row.length).trim()])),
  );
}
