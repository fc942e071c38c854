import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The rebound image of this checkout, on the kind nodes: built unless it carries the current source
 * hash (scripts/build-rebound-image.sh; a no-op when nothing changed), then `kind load`ed (kind
 * skips nodes that have that image ID already). Returns its name.
 */
export async function ensureReboundImage(): Promise<string> {
  await execa('bash', ['scripts/build-rebound-image.sh'], { cwd: ROOT, stdio: 'inherit' });
  const image = (await execa('bash', ['scripts/build-rebound-image.sh', '--tag'], { cwd: ROOT })).stdout.trim();
  await execa(process.env.REBOUND_KIND_BIN ?? 'kind', ['load', 'docker-image', image, '--name', process.env.REBOUND_KIND_CLUSTER ?? 'rebound'], { cwd: ROOT });
  return image;
}
