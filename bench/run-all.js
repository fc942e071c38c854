// npm run bench: every benchmark in turn (each writes bench/results/<name>.json).
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const skip = new Set(['run-all.js', 'support.js']);
const only = process.argv[2];
for (const file of readdirSync(new URL('.', import.meta.url)).filter((name) => name.endsWith('.js') && !skip.has(name)).sort()) {
  if (only && !file.includes(only)) continue;
  console.log(`\n== ${file}`);
  try {
    execFileSync(process.execPath, [new URL(file, import.meta.url).pathname], { stdio: 'inherit' });
  } catch {
    console.log(`${file} failed (see above)`);
    process.exitCode = 1;
  }
}
