// Which instance answered a request: the demo app (and anything built like it) names itself in an
// `X-Instance` header and in a body that starts "instance <id>". The header is preferred; the body
// is the fallback for services that cannot set headers.

const INSTANCE_BODY = /^instance (\S+)/;

/** The instance named by an `x-instance` header value, as undici parses it. */
export function instanceFromHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The instance named at the start of a response body ("instance web-1\n"). */
export function instanceFromBody(body: string): string | undefined {
  return INSTANCE_BODY.exec(body)?.[1];
}

// The version that answered: the demo app says it in `X-Version` and in its body
// ("instance <id> version <v> …"), so a rollout's progress is visible answer by answer.
const VERSION_BODY = /^instance \S+ version (\S+)/;

/** The version named by an `x-version` header value. */
export function versionFromHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The version named at the start of a response body ("instance web-1 version v2 …"). */
export function versionFromBody(body: string): string | undefined {
  return VERSION_BODY.exec(body)?.[1];
}

/**
 * Two-tier app: whether web and the api it called ran on different nodes, from the web tier's
 * `X-Crossed-Nodes: true|false`; undefined when it did not say (one tier, or no nodes: a Docker host).
 */
export function crossedNodesFromHeader(value: string | string[] | undefined): boolean | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === 'true' ? true : text === 'false' ? false : undefined;
}
