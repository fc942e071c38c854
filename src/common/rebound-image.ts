import { readFileSync } from 'node:fs';

/**
 * rebound's own image, as scripts/build-rebound-image.sh tags it: rebound/rebound:<package version>.
 * The cluster load's workers run it (and rebound itself, as a Job: manifests/rebound-job.yaml).
 */
export function defaultReboundImage(): string {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `rebound/rebound:${version}`;
}
