import { describe, expect, it } from 'vitest';
import { ECHO_LIMIT, echoInput, echoMessage, escapeControls } from '../../../src/common/echo-input.js';

// Every character a terminal may act on instead of showing: C0, DEL, C1, bidi and line separators.
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

describe('escapeControls', () => {
  it('writes C0, DEL, C1 and bidi controls as \\u escapes and keeps everything else', () => {
    expect(escapeControls('a\u001b[31mb\u007fc\u0085d\u202Ee\tf\ng')).toBe('a\\u001b[31mb\\u007fc\\u0085d\\u202ee\\u0009f\\u000ag');
    expect(escapeControls('ünïcødé 💥 “quotes”')).toBe('ünïcødé 💥 “quotes”');
  });

  it('keeps the characters it is told to keep (a message\'s own line breaks)', () => {
    expect(escapeControls('one\ntwo\r\n', '\n')).toBe('one\ntwo\\u000d\n');
  });
});

describe('echoInput', () => {
  it('cuts a long piece to the limit and marks the cut', () => {
    const shown = echoInput('x'.repeat(40_000));
    expect(shown).toBe(`${'x'.repeat(ECHO_LIMIT)}…`);
    expect(echoInput('short')).toBe('short');
  });

  it('never splits an escape or a surrogate pair, and counts escapes at their written length', () => {
    const shown = echoInput('\u0001'.repeat(100), 20);
    expect(shown).toBe(`${'\\u0001'.repeat(3)}…`);
    expect(echoInput('💥'.repeat(50), 9)).toBe(`${'💥'.repeat(4)}…`);
    expect(echoInput(`${'a'.repeat(77)}\\u001b tail`)).toBe(`${'a'.repeat(77)}…`);
  });
});

describe('echoMessage', () => {
  it('cuts each quoted piece of input, keeps the words around it, escapes what JSON.stringify leaves raw', () => {
    const token = `${'\u0090\u007f'.repeat(10)}${'z'.repeat(40_000)}`;
    const message = echoMessage(`Unexpected scalar token in YAML stream: ${JSON.stringify(token)}`);
    expect(message.startsWith('Unexpected scalar token in YAML stream: "\\u0090\\u007f')).toBe(true);
    expect(message.endsWith('…"')).toBe(true);
    expect(message.length).toBeLessThan(140);
    expect(message).not.toMatch(UNSAFE);
  });

  it('cuts a backticked key and the whole message when input is repeated unquoted', () => {
    expect(echoMessage(`unknown field \`${'k'.repeat(500)}\``)).toBe(`unknown field \`${'k'.repeat(ECHO_LIMIT)}…\``);
    const unquoted = echoMessage(`Unresolved tag: !${'t'.repeat(10_000)}`);
    expect(unquoted.length).toBeLessThanOrEqual(3 * ECHO_LIMIT + 1);
    expect(unquoted.endsWith('…')).toBe(true);
  });

  it('leaves an ordinary message as it is', () => {
    const text = 'expected a duration such as "5s" or "250ms", got "5 seconds"';
    expect(echoMessage(text)).toBe(text);
  });
});
