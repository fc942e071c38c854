import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';

// `rebound gameday` and `rebound validate` on a bad game-day file: located errors on stderr, exit 2,
// before anything touches an engine.
const directory = mkdtempSync(join(tmpdir(), 'rebound-gameday-cli-'));
let stdout: string[];
let stderr: string[];
beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const bad = join(directory, 'bad.yaml');
writeFileSync(bad, 'apiVersion: rebound/v1\nkind: GameDay\nmetadata: { name: bad }\ntitle: Bad\nsteps:\n  - name: one\n    hypothesis: h\n    system: { selector: { app: web } }\n    faults: [{ pause: { count: 1, duration: forever } }]\n');
const good = join(directory, 'good.yaml');
writeFileSync(good, 'apiVersion: rebound/v1\nkind: GameDay\nmetadata: { name: good }\ntitle: Good\nsteps:\n  - { name: one, hypothesis: h, check: look at the dashboard }\n');

describe('rebound gameday with a bad file', () => {
  it('exits 2 with the problem located in the game-day file', async () => {
    expect(await main(['gameday', bad, '--yes'])).toBe(2);
    expect(stderr.join('')).toBe(`${bad}:9:45 steps[0].faults[0].pause.duration: expected a duration such as "5s" or "250ms", got "forever"\n`);
  });

  it('exits 2 for a notes file that names no step of the game day', async () => {
    const notes = join(directory, 'notes.yaml');
    writeFileSync(notes, 'answers:\n  onr: { verdict: held }\n');
    expect(await main(['gameday', good, '--yes', '--notes', notes])).toBe(2);
    expect(stderr.join('')).toContain(`${notes}:2:8 answers.onr: no step \`onr\` in ${good} — did you mean \`one\`?`);
  });

  it('rebound validate checks game-day files too', async () => {
    expect(await main(['validate', good, bad])).toBe(2);
    expect(stdout.join('')).toContain(`${good}: ok (game day good: 1 step(s): check)`);
    expect(stderr.join('')).toContain(`${bad}:9:45`);
  });
});
