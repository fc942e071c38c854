import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { EnvironmentError, UsageError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import { parseDuration } from '../../common/duration.js';
import { clusterKubeconfig, createCluster, deleteCluster, imagePresent, listClusters, loadImages, requireDocker } from '../../targets/kubernetes/kind/index.js';

export type ClusterAction = 'create' | 'delete' | 'list' | 'load-image' | 'kubeconfig';

export interface ClusterArgs {
  action: ClusterAction;
  /** load-image: the local images to copy into the nodes. */
  images?: string[];
  name: string;
  /** create: total nodes, 1 control plane + workers (default 3). */
  nodes: number;
  /** create: kind node image (default: rebound's offline image, REBOUND_KIND_NODE_IMAGE). */
  image?: string;
  /** create: a kind config file of your own (then --nodes is not used). */
  config?: string;
  kubeconfig?: string;
  /** create: how long kind waits for Ready nodes, e.g. "120s". */
  wait: string;
}

/** The node image scripts/kind-cluster.sh builds offline (scripts/kind/lib.sh NODE_IMAGE). */
const OFFLINE_NODE_IMAGE = process.env.REBOUND_KIND_NODE_IMAGE ?? 'rebound/kind-node:v1.34.4';
const OFFLINE_CLUSTER = 'rebound';
const CLUSTER_SCRIPT = fileURLToPath(new URL('../../../scripts/kind-cluster.sh', import.meta.url));
const OFFLINE_CONFIG = fileURLToPath(new URL('../../../scripts/kind/cluster.yaml', import.meta.url));

/** `rebound cluster create|delete|list|load-image|kubeconfig`: the kind wrapper. */
export async function clusterCommand(argv: ClusterArgs): Promise<number> {
  switch (argv.action) {
    case 'create':
      await create(argv);
      break;
    case 'delete':
      await deleteCluster(argv.name, argv.kubeconfig);
      break;
    case 'list':
      process.stdout.write((await listClusters()).map((name) => `${name}\n`).join(''));
      break;
    case 'load-image':
      if (!argv.images || argv.images.length === 0) throw new UsageError('name the images to load: rebound cluster load-image <image..>', { hint: 'e.g. rebound cluster load-image rebound/demo-app:v1' });
      await loadImages(argv.name, argv.images);
      break;
    case 'kubeconfig':
      process.stdout.write(await clusterKubeconfig(argv.name, argv.kubeconfig));
      if (argv.kubeconfig) process.stdout.write(`kubeconfig of ${argv.name} written to ${argv.kubeconfig} (context kind-${argv.name})\n`);
      break;
    default:
      throw new UsageError(`unknown cluster action ${String(argv.action)}: create, delete, list, load-image or kubeconfig`);
  }
  return ExitCode.passed;
}

async function create(argv: ClusterArgs): Promise<void> {
  if (!Number.isInteger(argv.nodes) || argv.nodes < 1 || argv.nodes > 10) throw new UsageError(`--nodes must be a whole number from 1 to 10, got ${argv.nodes}`);
  if (parseDuration(argv.wait) === undefined) throw new UsageError(`--wait must be a duration such as 120s, got ${argv.wait}`);
  if (argv.config !== undefined && !existsSync(argv.config)) throw new UsageError(`kind config ${argv.config} does not exist`);
  await requireDocker();
  const image = argv.image ?? OFFLINE_NODE_IMAGE;
  const offlineDefaults = argv.name === OFFLINE_CLUSTER && argv.image === undefined && argv.config === undefined && argv.nodes === 3;
  if (!(await imagePresent(image))) {
    if (!offlineDefaults || !existsSync(CLUSTER_SCRIPT)) {
      throw new EnvironmentError(`the node image ${image} is not in the local Docker engine, and this machine reaches no registry`, {
        hint: `bash scripts/kind-cluster.sh up builds ${OFFLINE_NODE_IMAGE}; elsewhere pass --image kindest/node:<version> with a registry in reach`,
      });
    }
    // No registry here: the script builds the node image from source (~15 minutes the first time),
    // creates the cluster with scripts/kind/cluster.yaml and loads the demo image.
    process.stderr.write(`rebound: ${image} is not built yet: running ${CLUSTER_SCRIPT} up\n`);
    await execa('bash', [CLUSTER_SCRIPT, 'up'], { stdio: 'inherit' });
    return;
  }
  // The offline cluster's own config (NodePorts on loopback, node-monitor-grace-period 10s, lease renewed every 2 s).
  const config = argv.config ?? (offlineDefaults && existsSync(OFFLINE_CONFIG) ? OFFLINE_CONFIG : undefined);
  await createCluster({ name: argv.name, nodes: argv.nodes, image, wait: argv.wait, ...(config && { config }), ...(argv.kubeconfig && { kubeconfig: argv.kubeconfig }) });
}
