import { printable } from './format.js';

/**
 * Text safe inside a GitHub Markdown table cell or line: `|` would end the cell, a newline the row,
 * and `<` before a letter, `/`, `!` or `?` would open an HTML tag GitHub strips.
 */
export function markdownText(text: string): string {
  return printable(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/<(?=[A-Za-z/!?])/g, '\\<');
}

const row = (cells: readonly string[]) => `| ${cells.map(markdownText).join(' | ')} |`;
/** A GitHub Markdown table, every cell escaped. */
export const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]) => [row(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(row)];
