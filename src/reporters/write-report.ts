import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { EnvironmentError, errorMessage } from '../common/errors.js';

/**
 * Writes a rendered report to its file (creating missing directories) or, without one, to stdout.
 * The one place reporters' text leaves the process: rendering never writes.
 */
export async function writeReport(text: string, file: string | undefined, stdout: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (file === undefined) {
    // Wait for the write to be handed over, so a process exit right after cannot cut it short.
    await new Promise<void>((done, fail) => stdout.write(text, (error) => (error ? fail(error) : done())));
    return;
  }
  const path = resolve(file);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new EnvironmentError(`cannot write the report to ${path}: ${errorMessage(error)}`, { hint: 'choose a writable path with --reporter name=file or --out <dir>', cause: error });
  }
}
