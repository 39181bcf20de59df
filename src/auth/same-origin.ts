import type { FastifyRequest } from 'fastify';
import { AppError, sharedRefusal } from '../errors/app-error.js';
import type { AuthRequirement } from './auth-requirement.js';

// Reads cannot change anything; every other method must not be forged by another site's page.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const COOKIE_FROM_ELSEWHERE = sharedRefusal(
  new AppError(
    'CSRF_REJECTED',
    "This request carries the session cookie but does not come from this server's own pages: a browser sends " +
      'Sec-Fetch-Site: same-origin or this server\'s Origin. Scripts should send a token as "Authorization: Bearer <token>"',
  ),
);
const PUBLIC_FROM_ELSEWHERE = sharedRefusal(
  new AppError(
    'CSRF_REJECTED',
    "This request comes from another site's page: signing in or registering is only possible from this server's own pages",
  ),
);

/**
 * The origin is this server's: TASKGATE_PUBLIC_URL's when set, else the host the request was sent to
 * (X-Forwarded-Host when a trusted proxy forwarded it: `request.host` is proxy-aware). Over https
 * (TLS, or a trusted proxy's X-Forwarded-Proto) only the https origin is; over http both are, since
 * a TLS-terminating proxy nobody declared in TASKGATE_TRUST_PROXY hands us the browser's https as http.
 */
function isOwnOrigin(origin: string, request: FastifyRequest, publicOrigin: string | null): boolean {
  const given = origin.toLowerCase();
  if (publicOrigin !== null) return given === publicOrigin;
  const host = request.host.toLowerCase();
  if (host === '') return false;
  return given === `https://${host}` || (request.protocol !== 'https' && given === `http://${host}`);
}

/** The origin of a Referer header (`https://host`), or undefined when there is none or it is no URL. */
function refererOrigin(referer: string | undefined): string | undefined {
  if (referer === undefined) return undefined;
  try {
    const origin = new URL(referer).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Why a state-changing browser request must be refused as cross-site (CSRF), or null. Only requests
 * without an Authorization header are concerned: a token has to be sent on purpose, a cookie is sent
 * by the browser whatever page made the request.
 * - With the session cookie, whatever the method and whether or not it has a body, the request must
 *   show it comes from our own pages: `Sec-Fetch-Site: same-origin`, our `Origin`, or, without an
 *   Origin, our Referer (every current browser sends one of them on such requests).
 * - Without it, a public route (sign-in, registration) is refused only when the browser says the
 *   page is another site's, so that a foreign page cannot sign a visitor in to the attacker's
 *   account; curl and scripts, which send neither header, keep working.
 */
export function crossSiteRefusal(
  request: FastifyRequest,
  requirement: AuthRequirement,
  sessionCookie: boolean,
  publicOrigin: string | null,
): AppError | null {
  if (SAFE_METHODS.has(request.method) || request.headers.authorization !== undefined) return null;
  const site = request.headers['sec-fetch-site'];
  if (site === 'same-origin') return null;
  // Without Origin, the Referer's origin stands in for it (OWASP); with neither, a cookie write is refused.
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (origin !== undefined && isOwnOrigin(origin, request, publicOrigin)) return null;
  if (sessionCookie) return COOKIE_FROM_ELSEWHERE;
  const foreign = origin !== undefined || site === 'cross-site' || site === 'same-site';
  return requirement === 'public' && foreign ? PUBLIC_FROM_ELSEWHERE : null;
}
