// Columns aligned on their visible width: colour codes take no room on screen, so they are not
// counted. The last column is left ragged (explanations are long; padding them only adds spaces).
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** Rows of cells → lines, columns separated by two spaces, each line prefixed by `indent`. */
export function textTable(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(0, ...rows.map((row) => visibleWidth(row[column] ?? ''))));
  return rows.map((row) => {
    const cells = row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column]! - visibleWidth(cell))));
    return `${indent}${cells.join('  ')}`.trimEnd();
  });
}
