import { printable } from '../format.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in HTML element content and quoted attribute values. Control characters are dropped
 * first (through `printable`): most are not allowed in HTML at all, and an engine's error text can
 * carry them.
 */
export function escapeHtml(text: string | number): string {
  return printable(String(text)).replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

/**
 * JSON for a `<script type="application/json">` element. Every `<` becomes `\u003c` (still the
 * same JSON string): `</script>` in a name cannot end the element, and `<!--` cannot switch the
 * HTML parser into the script-escaped state where our own `</script>` would no longer close it.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Third-party code or CSS inlined in `<script>` / `<style>`: `</` becomes `<\/`, which means the
 * same inside JavaScript strings, regular expressions and CSS strings, so a `</script>` in them
 * cannot end the element early. (uPlot 1.6 contains none; this keeps an upgrade from breaking the page.)
 */
export function inlineCode(code: string): string {
  return code.replace(/<\//g, '<\\/');
}
