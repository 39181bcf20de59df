import type { FastifyRequest } from 'fastify';
import { AppError, sharedRefusal } from '../errors/app-error.js';

const FOREIGN_ORIGIN = sharedRefusal(
  new AppError(
    'ORIGIN_NOT_ALLOWED',
    "Requests to /mcp from a web page are accepted only from this server's own origin or from a page on this machine (localhost)",
  ),
);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/**
 * Guards /mcp against DNS rebinding, as the MCP transport specification asks ("validate the Origin
 * header"): a page of another site that got its name pointed at this server still sends its own
 * Origin, and is refused. Without an Origin (every non-browser client) nothing is checked; allowed are
 * TASKGATE_PUBLIC_URL's origin and pages served from this machine (the MCP Inspector's UI, local tools).
 * The Host is not trusted for this: under rebinding it is the attacker's name too.
 */
export function foreignOriginRefusal(request: FastifyRequest, publicOrigin: string | null): AppError | null {
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  if (publicOrigin !== null && origin.toLowerCase() === publicOrigin) return null;
  return isLoopbackOrigin(origin) ? null : FOREIGN_ORIGIN;
}
