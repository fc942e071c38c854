// Helper scripts are bash text run inside a namespace (by the driver or by systemd). Every value
// rebound puts into one goes through here: single quotes, with each ' written as '\''.
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** One command line from an argument array. */
export function shellCommand(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}
