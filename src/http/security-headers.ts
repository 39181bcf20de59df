import type { FastifyReply } from 'fastify';

/** Response headers as Fastify writes them: lower-case names and their values, in the order they are set. */
export type HeaderList = readonly (readonly [name: string, value: string])[];

/**
 * The security headers of every answer, worked out once from the config (the list is frozen and
 * shared by every reply). The Content-Security-Policy lets a page load only this server's own
 * scripts, styles, images, fonts and API; `'unsafe-inline'` styles because the UI's Radix primitives
 * and Swagger UI inject `<style>` elements and style attributes. HSTS and `upgrade-insecure-requests`
 * only when the public origin is https: over plain http (a LAN address) they would make the browser
 * refuse the server altogether. The rest are the values @fastify/helmet sent before this list
 * replaced it (helmet rebuilt them on every request).
 */
export function securityHeaders(publicOrigin: string | null): HeaderList {
  const https = publicOrigin?.startsWith('https://') ?? false;
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  const headers: (readonly [string, string])[] = [
    ['content-security-policy', policy.join(';')],
    ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-resource-policy', 'same-origin'],
    ['origin-agent-cluster', '?1'],
    // Not `no-referrer`: under it browsers send `Origin: null` on same-origin form posts, which the
    // same-origin check (src/auth/same-origin.ts) would have to refuse.
    ['referrer-policy', 'strict-origin-when-cross-origin'],
    // Not includeSubDomains: other hosts of the domain may not serve https.
    ...(https ? [['strict-transport-security', 'max-age=31536000'] as const] : []),
    ['x-content-type-options', 'nosniff'],
    ['x-dns-prefetch-control', 'off'],
    ['x-download-options', 'noopen'],
    ['x-frame-options', 'DENY'],
    ['x-permitted-cross-domain-policies', 'none'],
    // 0, not 1: the XSS auditor of old browsers could itself be abused; the policy above does its job.
    ['x-xss-protection', '0'],
  ];
  return Object.freeze(headers.map((header) => Object.freeze(header)));
}

/**
 * Sets every header of the list on a reply. The app's first request hook (app.ts) calls it as the request
 * arrives, so that refusals (401, 429), 404s, validation errors and the docs carry them too; a route may
 * still replace one. Answers Fastify gives before any hook runs (`frameworkErrors`, client errors) call it
 * themselves.
 */
export function setHeaders(reply: FastifyReply, headers: HeaderList): void {
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    reply.header(header[0], header[1]);
  }
}
