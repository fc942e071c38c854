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
