import type { KubeApi } from '../kube-api.js';
import { statusOf } from '../kube-errors.js';

/** The kubelet reports at most this many images in node.status.images (nodeStatusMaxImages' default). */
const KUBELET_IMAGE_LIST_LIMIT = 50;

/** `rebound/x:v1` and `docker.io/rebound/x:v1` name the same image, `nginx` is `docker.io/library/nginx:latest`. */
export function normalImageName(name: string): string {
  const parts = name.split('/');
  const hasRegistry = parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost');
  const registry = hasRegistry ? parts.shift()! : 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const last = parts.at(-1)!;
  if (!last.includes(':') && !last.includes('@')) parts[parts.length - 1] = `${last}:latest`;
  return [registry, ...parts].join('/');
}

/** present / absent from the node's image list, or unknown (the list is cut at the kubelet's limit). */
export function imageListed(images: readonly { names?: string[] }[], image: string): 'present' | 'absent' | 'unknown' {
  const wanted = normalImageName(image);
  if (images.some((entry) => (entry.names ?? []).some((name) => normalImageName(name) === wanted))) return 'present';
  return images.length >= KUBELET_IMAGE_LIST_LIMIT ? 'unknown' : 'absent';
}

/**
 * Whether the helper image is on the pod's node, from node.status.images. unknown when the node
 * cannot be read (a namespace-scoped ServiceAccount has no `get nodes`): then the kubelet's answer
 * (ErrImageNeverPull, ImagePullBackOff) is the first word, after the container was added.
 */
export async function helperImageOnNode(api: KubeApi, nodeName: string, image: string): Promise<'present' | 'absent' | 'unknown'> {
  try {
    const node = await api.core.readNode({ name: nodeName });
    return imageListed(node.status?.images ?? [], image);
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) return 'unknown';
    throw error;
  }
}
