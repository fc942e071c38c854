import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../common/errors.js';

const EXPERIMENT_FILE = /\.ya?ml$/;
const WHERE_EXAMPLES_ARE = 'the examples are in experiments/docker, experiments/kubernetes and experiments/compare';

/**
 * The experiment files one command-line path stands for: a file, itself; a directory, its *.yaml
 * and *.yml files in name order (a suite in CI is a folder), not its subdirectories. A path that
 * does not exist or cannot be listed is a UsageError naming it and what to do.
 */
export function experimentFiles(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw unreadablePath(path, error);
  }
  if (!isDirectory) return [path];
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (error) {
    throw unreadablePath(path, error, 'experiment directory');
  }
  // Numbered files in number order (2-… before 10-…), the same on every machine.
  const files = names
    .filter((name) => EXPERIMENT_FILE.test(name))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((name) => join(path, name));
  if (files.length === 0) {
    throw new UsageError(`${path} is a directory without experiment files (*.yaml or *.yml)`, { hint: `give experiment files or a directory holding them (its subdirectories are not searched); ${WHERE_EXAMPLES_ARE}` });
  }
  return files;
}

/** The size of an experiment file, after checking it is a regular file (a FIFO would block the read forever). */
export function experimentFileSize(file: string): number {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    throw unreadablePath(file, error);
  }
  if (stats.isFile()) return stats.size;
  const what = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a FIFO (named pipe)' : stats.isSocket() ? 'a socket' : 'a device';
  throw new UsageError(`cannot read experiment file ${file}: it is ${what}, not a regular file`, { hint: `give a .yaml file, or a directory of them; ${WHERE_EXAMPLES_ARE}` });
}

/** A path that cannot be read, as a usage error: the path, what is wrong with it in words, and what to do. */
export function unreadablePath(path: string, error: unknown, what = 'experiment file'): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const [why, hint] = reasonFor(path, code);
  return new UsageError(`cannot read ${what} ${path}: ${code ?? String(error)} (${why})`, { hint, cause: error });
}

function reasonFor(path: string, code: string | undefined): [why: string, hint: string] {
  switch (code) {
    case 'ENOENT': {
      const link = danglingLink(path);
      return [link === undefined ? 'no such file or directory' : `a symbolic link to ${link}, which does not exist`, `check the path; ${WHERE_EXAMPLES_ARE}`];
    }
    case 'EACCES':
    case 'EPERM':
      return ['permission denied', `make it readable for this user (chmod a+r ${path}), or run rebound as a user who may read it`];
    case 'ENOTDIR':
      return ['a part of the path is a file, not a directory', 'check the path'];
    case 'ELOOP':
      return ['symbolic links that loop', `check where the links on the way to ${path} point (ls -l)`];
    case 'ENAMETOOLONG':
      return ['the path is too long', 'check the path'];
    default:
      return ['the system refused to read it', 'check the path and the file system it is on'];
  }
}

/** Where a symbolic link points when the link itself exists but its target does not. */
function danglingLink(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined; // the path itself is missing: not a link
  }
}
