import type { FastifyRequest } from 'fastify';

export const MCP_PATH = '/mcp';
/** RFC 9728's well-known location; clients also try it with the resource's path appended. */
export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

// A Host header that is a plain host[:port]; anything else is not echoed into a header or a document.
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Where clients reach this server: TASKGATE_PUBLIC_URL when set, else what the request was sent to
 * (behind a proxy, set the public URL: the server sees only the proxy's request).
 */
export function publicBaseUrl(request: FastifyRequest, publicOrigin: string | null): string {
  if (publicOrigin !== null) return publicOrigin;
  const host = request.headers.host;
  return `${request.protocol}://${host !== undefined && PLAIN_HOST.test(host) ? host : 'localhost'}`;
}

/**
 * The `WWW-Authenticate` challenge of a 401 from /mcp, as the MCP authorization specification asks:
 * it points at the protected-resource metadata, so a client learns where its credentials come from.
 */
export function mcpChallenge(publicOrigin: string | null) {
  return (request: FastifyRequest, credentialSent: boolean): string => {
    const metadata = `${publicBaseUrl(request, publicOrigin)}${RESOURCE_METADATA_PATH}`;
    return `Bearer ${credentialSent ? 'error="invalid_token", ' : ''}resource_metadata="${metadata}"`;
  };
}

/**
 * The protected-resource metadata (RFC 9728) of /mcp. Taskgate runs no OAuth authorization server, so
 * `authorization_servers` is left out rather than naming one that does not exist: tokens are made in
 * the web UI or with the CLI (agent tokens: Agents; personal tokens: Account → Access tokens) and sent
 * as a bearer header, which `resource_documentation` explains.
 */
export function protectedResourceMetadata(baseUrl: string) {
  return {
    resource: `${baseUrl}${MCP_PATH}`,
    resource_name: 'Taskgate MCP endpoint',
    bearer_methods_supported: ['header'],
    resource_documentation: `${baseUrl}/docs`,
  };
}
