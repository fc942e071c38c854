// What a key does, by what the terminal is waiting for. Pure, so the whole keyboard contract is one
// table a test reads (the README's "keys" list says the same).

/** What the game day is waiting for at the terminal. */
export type KeyMode = 'confirm-start' | 'before-step' | 'running' | 'answer' | 'idle';

export type KeyAction =
  | { do: 'go' }
  | { do: 'skip' }
  | { do: 'quit' }
  | { do: 'stop' }
  | { do: 'note' }
  | { do: 'answer'; verdict: 'held' | 'not-held' | 'unsure' }
  | { do: 'interrupt' }
  | { do: 'nothing' };

/** A key as Node's readline keypress events describe it. */
export interface Key {
  name?: string;
  sequence?: string;
  ctrl?: boolean;
  meta?: boolean;
}

export function keyAction(mode: KeyMode, key: Key): KeyAction {
  // Raw mode turns Ctrl-C into a key: it must stay the signal it always is.
  if (key.ctrl && key.name === 'c') return { do: 'interrupt' };
  if (key.ctrl || key.meta) return { do: 'nothing' };
  const name = key.name ?? key.sequence;
  if (name === 'x') return { do: 'stop' };
  if (mode === 'answer') {
    if (name === 'y') return { do: 'answer', verdict: 'held' };
    if (name === 'n') return { do: 'answer', verdict: 'not-held' };
    if (name === 'u') return { do: 'answer', verdict: 'unsure' };
    return { do: 'nothing' };
  }
  if (name === 'n') return { do: 'note' };
  const enter = name === 'return' || name === 'enter';
  if (mode === 'confirm-start') return enter ? { do: 'go' } : name === 'q' ? { do: 'quit' } : { do: 'nothing' };
  if (mode === 'before-step') {
    if (enter) return { do: 'go' };
    if (name === 's') return { do: 'skip' };
    if (name === 'q') return { do: 'quit' };
  }
  return { do: 'nothing' };
}

/** One key of a line being typed (a note): the text after it, or submit / cancel. */
export function editLine(text: string, key: Key): { text: string; done?: 'submit' | 'cancel' } {
  if (key.name === 'return' || key.name === 'enter') return { text, done: 'submit' };
  if (key.name === 'escape') return { text, done: 'cancel' };
  if (key.name === 'backspace') return { text: [...text].slice(0, -1).join('') };
  if (key.ctrl && key.name === 'u') return { text: '' };
  if (key.ctrl || key.meta || key.sequence === undefined) return { text };
  // Printable characters only (a pasted line arrives as one sequence): no control bytes in notes.
  const printable = [...key.sequence].filter((character) => character >= ' ' && character !== '\u007f').join('');
  return { text: text + printable };
}
