import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * The security headers of every answer (@fastify/helmet, registered before authentication so that
 * refusals and 404s carry them too). The Content-Security-Policy lets a page load only this
 * server's own scripts, styles, images, fonts and API; `'unsafe-inline'` styles because the UI's
 * Radix primitives and Swagger UI inject `<style>` elements and style attributes. HSTS and
 * `upgrade-insecure-requests` only when the public origin is https: over plain http (a LAN address)
 * they would make the browser refuse the server altogether.
 */
export function securityHeaders(publicOrigin: string | null): FastifyHelmetOptions {
  const https = publicOrigin?.startsWith('https://') ?? false;
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Not includeSubDomains: other hosts of the domain may not serve https.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // Not `no-referrer`: under it browsers send `Origin: null` on same-origin form posts, which the
    // same-origin check (src/auth/same-origin.ts) would have to refuse.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
  };
}
