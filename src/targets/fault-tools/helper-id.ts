import { randomBytes } from 'node:crypto';

// A helper id names everything one helper creates: its container or unit, its iptables chain
// (REBOUND-<id>) and its label. iptables allows chain names of at most 28 characters, so with the
// 8-character prefix an id has at most 20: letters, digits and dashes.
const HELPER_ID = /^[a-z0-9][a-z0-9-]{0,19}$/;

export function isHelperId(id: string): boolean {
  return HELPER_ID.test(id);
}

/** A fresh random id: "rb" and 10 hex digits. */
export function newHelperId(): string {
  return `rb${randomBytes(5).toString('hex')}`;
}

export function assertHelperId(id: string): string {
  if (!isHelperId(id)) throw new Error(`helper id "${id}" must be 1-20 lowercase letters, digits or dashes, starting with a letter or digit (it becomes part of an iptables chain name)`);
  return id;
}
