// Error messages repeat pieces of the user's input (a YAML token, an unknown key, a value). Those
// pieces can be anything, even random bytes: raw C0/DEL/C1 control characters garble or reprogram a
// terminal (ESC starts a control sequence), the bidi controls reorder what is shown, and a 40,000
// character token makes a message nobody reads. So every echoed piece is escaped and cut short.

/** How many characters of one echoed piece of input a message shows. */
export const ECHO_LIMIT = 80;

// C0 (LF and tab included: an echoed piece stays on its line), DEL, C1, and the invisible
// characters that move or break text on a terminal (LRM/RLM, line/paragraph separators, bidi
// embeddings, overrides and isolates: the "Trojan Source" set).
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

const escapeOne = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every unsafe character written as `\u001b`; characters in `keep` (e.g. "\n") stay. */
export function escapeControls(text: string, keep = ''): string {
  return text.replace(UNSAFE, (character) => (keep.includes(character) ? character : escapeOne(character)));
}

// What a cut never splits: an escape already written (`\u001b`, `\"`) or a surrogate pair.
const UNIT = /\\u[0-9A-Fa-f]{4}|\\[^u]|[\s\S]/gu;

/**
 * One piece of the user's input as an error message may show it: unsafe characters escaped, cut to
 * about `limit` characters, "…" marking the cut.
 */
export function echoInput(text: string, limit = ECHO_LIMIT): string {
  let shown = '';
  for (const [unit] of text.matchAll(UNIT)) {
    const piece = escapeControls(unit);
    if (shown.length + piece.length > limit) return `${shown}…`;
    shown += piece;
  }
  return shown;
}

// A double-quoted piece as JSON.stringify writes it (how the YAML library and our own messages quote
// input), or a `backticked` name.
const QUOTED = /"(?:[^"\\]|\\.)*"|`[^`]*`/g;

/**
 * A message that may carry echoed input: each quoted piece in it cut like `echoInput` (its quotes
 * kept, so the cut shows), every unsafe character escaped, and the whole cut to `limit` (for input a
 * message repeats unquoted, such as an unknown YAML tag).
 */
export function echoMessage(message: string, limit = 3 * ECHO_LIMIT): string {
  const pieces = message.replace(QUOTED, (quoted) => `${quoted[0]}${echoInput(quoted.slice(1, -1))}${quoted[0]}`);
  return echoInput(pieces, limit);
}
