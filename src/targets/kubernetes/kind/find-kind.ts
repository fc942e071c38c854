import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EnvironmentError } from '../../../common/errors.js';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false; // not there or not executable: the caller looks elsewhere
  }
}

/** The kind binary: $REBOUND_KIND_BIN (what scripts/kind-cluster.sh env exports), else PATH. */
export function findKind(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.REBOUND_KIND_BIN;
  if (named) {
    if (executable(named)) return named;
    throw new EnvironmentError(`REBOUND_KIND_BIN is ${named}, which is not an executable file`, {
      hint: 'build it with bash scripts/kind-cluster.sh up, or unset REBOUND_KIND_BIN to use kind from PATH',
    });
  }
  for (const directory of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(directory, 'kind');
    if (executable(candidate)) return candidate;
  }
  throw new EnvironmentError('kind is not installed (not in PATH, REBOUND_KIND_BIN not set)', {
    hint: 'offline: bash scripts/kind-cluster.sh up builds it, then eval "$(bash scripts/kind-cluster.sh env)"; online: https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  });
}
