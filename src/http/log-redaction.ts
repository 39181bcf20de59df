import type { FastifyRequest } from 'fastify';

const REDACTED = '[REDACTED]';

// Query parameter names that carry credentials, compared lower-case without `-`/`_`: access_token,
// api_key, X-Amz-Signature, client_secret, password… A name is credential-looking when it ends in one
// of these; redacting an innocent `monkey` costs a log reader less than logging a key costs everyone.
const CREDENTIAL_NAME = /(token|key|secret|password|passwd|pwd|signature|sig|credentials?|auth|session|code)$/;

// A Taskgate token (`tgp_…`, `tgs_…`) anywhere in the URL: in a path segment, a value, a mistyped name.
const TOKEN_SHAPED = /(tg[a-z]?_)[A-Za-z0-9]+/g;

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

function redactParameter(parameter: string): string {
  const equals = parameter.indexOf('=');
  if (equals === -1) return parameter;
  const name = parameter.slice(0, equals);
  return CREDENTIAL_NAME.test(
    decodedName(name)
      .toLowerCase()
      .replace(/[-_\s]/g, ''),
  )
    ? `${name}=${REDACTED}`
    : parameter;
}

/**
 * A request URL fit for a log line: the values of credential-looking query parameters and every
 * token-shaped string replaced by `[REDACTED]`. Everything else is kept as sent, so a log still shows
 * which route and which query a request had.
 */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  // Most URLs have no query and no token: they are logged as they are, without a copy.
  if (question === -1 && !url.includes('tg')) return url;
  const path = question === -1 ? url : url.slice(0, question);
  const query =
    question === -1
      ? null
      : url
          .slice(question + 1)
          .split('&')
          .map(redactParameter)
          .join('&');
  const joined = query === null ? path : `${path}?${query}`;
  return joined.replace(TOKEN_SHAPED, `$1${REDACTED}`);
}

/** Fastify's own `req` log serializer, with the URL redacted (and the address proxy-aware, as `request.ip` is). */
export function requestLogFields(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
