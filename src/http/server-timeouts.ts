import type { ServerOptions } from 'node:http';

/** The longest a client may take to send its request headers: slow-header (slowloris) sockets end here. */
const HEADERS_TIMEOUT_MS = 20_000;
/**
 * How long an idle keep-alive socket stays open: longer than the idle timeout of the proxies usually
 * in front of us (60 s for AWS's load balancers, nginx's upstream keepalive), so that a proxy never
 * sends a request on a socket we are closing.
 */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * Every timeout of the HTTP server, set here and nowhere else. A request (headers and body) must have
 * arrived within `requestTimeoutMs`, else it is answered 408 (src/http/client-errors.ts) and its
 * socket closed; Fastify turns Node's 5-minute default off, so without this a body sent a byte a
 * minute held a socket forever. There is no socket inactivity timeout: the event stream keeps a
 * socket open without traffic between its heartbeats, and answers are bounded by their own work.
 */
export function serverTimeouts(requestTimeoutMs: number) {
  const headersTimeout = Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs);
  const http: ServerOptions = {
    headersTimeout,
    requestTimeout: requestTimeoutMs,
    // Node checks the two timeouts above on this interval (default 30 s, which would let a request
    // overstay its limit by that much).
    connectionsCheckingInterval: Math.min(1000, headersTimeout),
  };
  return { http, requestTimeout: requestTimeoutMs, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, connectionTimeout: 0 };
}
