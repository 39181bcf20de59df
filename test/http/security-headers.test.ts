import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { browserAvailable, openBrowser } from '../helpers/browser.js';
import { createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect, type HttpResult } from '../helpers/harness.js';
import { createToken, tokenOwner } from '../tokens/helpers.js';

const CSP = [
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
];

// The rest of what every answer carries (what @fastify/helmet sent, kept when a precomputed list replaced it).
const OTHER_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

// Over the router's limit on a path parameter (Fastify's maxParamLength, 100 by default).
const OVER_LONG_ID = 'x'.repeat(101);

function directives(res: HttpResult): string[] {
  return (res.headers.get('content-security-policy') ?? '')
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
}

function expectSecurityHeaders(res: HttpResult, where: string): void {
  expect(directives(res), where).toEqual(CSP);
  expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), where).toBe('strict-origin-when-cross-origin');
  expect(res.headers.get('x-frame-options'), where).toBe('DENY');
  // Reached over plain http (no https public URL): nothing that would lock a LAN browser out.
  expect(res.headers.get('strict-transport-security'), where).toBeNull();
  expect(res.headers.get('x-powered-by'), where).toBeNull();
  for (const [name, value] of Object.entries(OTHER_HEADERS)) expect(res.headers.get(name), `${where}: ${name}`).toBe(value);
}

describeEachDialect('security headers on every answer', (app) => {
  it('sends them on a success, a 401, a 404 and a validation error', async () => {
    const user = await createUser(app());
    expectSecurityHeaders(await app().request('GET', '/api/v1/me', { token: user.token }), '200');
    expectSecurityHeaders(await app().request('GET', '/healthz'), '200 probe');
    const unauthenticated = await app().request('GET', '/api/v1/me');
    expectError(unauthenticated, 401, 'UNAUTHENTICATED');
    expectSecurityHeaders(unauthenticated, '401');
    const forged = await app().request('GET', '/api/v1/me', { token: 'tgp_forged' });
    expectError(forged, 401, 'INVALID_TOKEN');
    expectSecurityHeaders(forged, '401 forged');
    const missing = await app().request('GET', '/api/v1/nowhere');
    expectError(missing, 404, 'ROUTE_NOT_FOUND');
    expectSecurityHeaders(missing, '404');
    const invalid = await app().request('GET', '/api/v1/workspaces?limit=0', { token: user.token });
    expectError(invalid, 400, 'VALIDATION_FAILED');
    expectSecurityHeaders(invalid, '400');
  });

  it('sends them, and the request id, on the 400s of URLs the router refuses (undecodable, a path id over its limit)', async () => {
    // GET paths the router cannot place fall to the web UI's catch-all (a 404): these methods have none.
    const refused: Array<[string, string]> = [
      ['GET', '/%zz'],
      ['GET', '/api/v1/tasks/%zz'],
      ['DELETE', `/api/v1/tasks/${OVER_LONG_ID}`],
      ['PATCH', `/api/v1/workspaces/${OVER_LONG_ID}`],
    ];
    for (const [method, path] of refused) {
      const where = `${method} ${path}`;
      const res = await app().request(method, path);
      expectError(res, 400, 'BAD_REQUEST');
      expect(res.headers.get('content-type'), where).toMatch(/^application\/json/);
      expect(res.headers.get('x-request-id'), where).toMatch(/^[\w-]{36}$/);
      expect(res.body.requestId, where).toBe(res.headers.get('x-request-id'));
      expectSecurityHeaders(res, where);
    }
    // A client's own request id is echoed there too.
    const echoed = await app().request('DELETE', `/api/v1/tasks/${OVER_LONG_ID}`, { headers: { 'x-request-id': 'client-id.1' } });
    expectError(echoed, 400, 'BAD_REQUEST');
    expect(echoed.headers.get('x-request-id')).toBe('client-id.1');
    expect(echoed.body.requestId).toBe('client-id.1');
  });

  it('sends them on a 429', async () => {
    const { owner } = await tokenOwner(app());
    const { token } = await createToken(app(), owner, { rateLimitPerMinute: 1 });
    expectSecurityHeaders(await app().request('GET', '/api/v1/me', { token }), 'first');
    const limited = await app().request('GET', '/api/v1/me', { token });
    expectError(limited, 429, 'RATE_LIMITED');
    expectSecurityHeaders(limited, '429');
  });

  it('serves the API docs under the same policy, from self-hosted scripts only', async () => {
    const docs = await app().request('GET', '/docs/');
    expect(docs.status).toBe(200);
    expectSecurityHeaders(docs, '/docs/');
    expect(docs.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const scripts = [...docs.text.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src, src).toMatch(/^\.?\/[^/]/);
      expect((await app().request('GET', new URL(src, `${app().url}/docs/`).pathname)).status, src).toBe(200);
    }
    expect(docs.text).not.toMatch(/https?:\/\//);
  });

  it.skipIf(!browserAvailable)('renders the API docs in Chromium without a policy violation', async () => {
    const browser = await openBrowser();
    try {
      const violations: string[] = [];
      await browser.page.exposeFunction('reportViolation', (text: string) => violations.push(text));
      await browser.page.addInitScript(() => {
        type Violation = { violatedDirective: string; blockedURI: string };
        const page = globalThis as unknown as {
          document: { addEventListener(type: string, listener: (event: Violation) => void): void };
          reportViolation(text: string): void;
        };
        page.document.addEventListener('securitypolicyviolation', (e) => page.reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
      });
      await browser.page.goto(`${app().url}/docs/`);
      await browser.page.waitForSelector('.swagger-ui .info .title', { timeout: 15_000 });
      expect(await browser.page.textContent('.swagger-ui .info .title')).toContain('Taskgate API');
      await browser.page.waitForSelector('.opblock', { timeout: 15_000 });
      expect(violations).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describeEachDialect(
  'security headers behind https (TASKGATE_PUBLIC_URL)',
  (app) => {
    it('adds HSTS and upgrade-insecure-requests', async () => {
      for (const [method, path] of [
        ['GET', '/healthz'],
        ['GET', '/api/v1/me'],
        ['GET', '/%zz'],
        ['DELETE', `/api/v1/tasks/${OVER_LONG_ID}`],
      ] as const) {
        const res = await app().request(method, path);
        expect(directives(res), path).toEqual([...CSP, 'upgrade-insecure-requests']);
        expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
        expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      }
    });
  },
  { TASKGATE_PUBLIC_URL: 'https://taskgate.example' },
);

it('accepts TASKGATE_PUBLIC_URL as an http(s) origin only', () => {
  expect(loadConfig({}).publicOrigin).toBeNull();
  expect(loadConfig({ TASKGATE_PUBLIC_URL: 'https://Taskgate.Example/' }).publicOrigin).toBe('https://taskgate.example');
  expect(loadConfig({ TASKGATE_PUBLIC_URL: 'http://192.168.1.20:8080' }).publicOrigin).toBe('http://192.168.1.20:8080');
  expect(loadConfig({ TASKGATE_PUBLIC_URL: 'https://taskgate.example:443' }).publicOrigin).toBe('https://taskgate.example');
  for (const bad of [
    'taskgate.example',
    'ftp://taskgate.example',
    'https://taskgate.example/app',
    'https://taskgate.example?x=1',
    'https://taskgate.example#top',
    'https://user:pw@taskgate.example',
    'https://',
    'https:///x',
    'https://taskgate.example//',
    'https://a b',
  ]) {
    expect(() => loadConfig({ TASKGATE_PUBLIC_URL: bad }), bad).toThrow(ConfigError);
    expect(() => loadConfig({ TASKGATE_PUBLIC_URL: bad }), bad).toThrow(/TASKGATE_PUBLIC_URL/);
  }
});
