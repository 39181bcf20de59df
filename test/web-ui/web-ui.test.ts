import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { ROOT } from '../helpers/server-process.js';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head>' +
  '<body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("taskgate");';
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16"/></svg>';

/** A built UI as the lead's `vite build` lays it out, plus a secret beside it that must never be served. */
function fixture(): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-web-'));
  const dir = path.join(parent, 'dist');
  fs.mkdirSync(path.join(dir, 'assets', 'fonts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(dir, 'favicon.svg'), FAVICON);
  fs.writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), SCRIPT);
  fs.writeFileSync(path.join(dir, 'assets', 'index-DeF456.css'), 'body{margin:0}');
  fs.writeFileSync(path.join(dir, 'assets', 'fonts', 'inter-9z.woff2'), 'font');
  fs.writeFileSync(path.join(dir, 'assets', '.hidden'), 'dotfile');
  fs.writeFileSync(path.join(parent, 'secret.txt'), 'outside the web folder');
  return dir;
}

const built = fixture();
const unbuilt = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-web-empty-'));
afterAll(() => {
  fs.rmSync(path.dirname(built), { recursive: true, force: true });
  fs.rmSync(unbuilt, { recursive: true, force: true });
});

/** Sends a request line as written, without a client normalising `..` or encodings first. */
async function raw(t: TestApp, target: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`),
    );
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(data.slice(9, 12)), text: data }));
    socket.on('error', reject);
  });
}

function expectIndex(res: { status: number; text: string; headers: Headers }, where: string): void {
  expect(res.status, where).toBe(200);
  expect(res.headers.get('content-type'), where).toBe('text/html; charset=utf-8');
  expect(res.headers.get('cache-control'), where).toBe('no-cache');
  expect(res.text, where).toBe(INDEX);
}

describeEachDialect(
  'the web UI: built files and the page for every UI path',
  (app) => {
    it('serves hashed assets for a year, immutable, with their content types', async () => {
      const js = await app().request('GET', '/assets/index-AbC123.js');
      expect(js.status).toBe(200);
      expect(js.text).toBe(SCRIPT);
      expect(js.headers.get('content-type')).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
      expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const css = await app().request('GET', '/assets/index-DeF456.css');
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect((await app().request('GET', '/assets/fonts/inter-9z.woff2')).status).toBe(200);
      const head = await fetch(`${app().url}/assets/index-AbC123.js`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    });

    it('answers a missing asset with the JSON 404, never the page', async () => {
      for (const p of ['/assets/index-gone.js', '/assets/', '/assets/fonts', '/assets/.hidden']) {
        const res = await app().request('GET', p);
        expect(res.status, p).toBe(404);
        expect(res.headers.get('content-type'), p).toMatch(/^application\/json/);
        expect(['ROUTE_NOT_FOUND', 'NOT_FOUND'], p).toContain(res.body.code);
      }
    });

    it('never reads outside the folder, however the path is spelled', async () => {
      const attempts = [
        '/assets/..%2f..%2fsecret.txt',
        '/assets/..%2fpackage.json',
        '/assets/%2e%2e/%2e%2e/secret.txt',
        '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
        '/assets/..\\..\\secret.txt',
        '/assets/..%5c..%5csecret.txt',
        '/assets/index-AbC123.js%00.png',
        '/assets/%00',
        '/assets/../../secret.txt',
        '/assets/fonts/../../../secret.txt',
        '/assets//etc/passwd',
        '/assets/%2fetc%2fpasswd',
        '/favicon.svg/..%2f..%2fsecret.txt',
        '/..%2fsecret.txt',
        '/%2e%2e/secret.txt',
      ];
      for (const target of attempts) {
        const res = await raw(app(), target);
        expect(res.status, target).toBeGreaterThanOrEqual(200);
        expect(res.text, target).not.toContain('outside the web folder');
        expect(res.text, target).not.toContain('"name": "taskgate"');
        // A UI path may get the page; an assets path never does, and nothing is a 5xx.
        if (target.startsWith('/assets/')) expect(res.status, target).toBeGreaterThanOrEqual(400);
        expect(res.status, target).toBeLessThan(500);
      }
    });

    it('serves the favicon, also as /favicon.ico', async () => {
      for (const p of ['/favicon.svg', '/favicon.ico']) {
        const res = await app().request('GET', p);
        expect(res.status, p).toBe(200);
        expect(res.headers.get('content-type'), p).toBe('image/svg+xml');
        expect(res.text, p).toBe(FAVICON);
      }
    });

    it('answers index.html for / and every UI path, GET and HEAD', async () => {
      for (const p of [
        '/',
        '/login',
        '/settings/tokens',
        '/workspace/wsp_1/access-tokens',
        '/settings/tokens?status=active&q=ci',
        '/a.b/c',
        '/apis',
        '/documents',
      ]) {
        expectIndex(await app().request('GET', p), p);
        const head = await fetch(`${app().url}${p}`, { method: 'HEAD' });
        expect(head.status, p).toBe(200);
        expect(head.headers.get('content-type'), p).toBe('text/html; charset=utf-8');
        expect(await head.text(), p).toBe('');
      }
    });

    it('keeps the JSON 404 for the server’s own paths and for other methods', async () => {
      for (const [method, p] of [
        ['GET', '/api/v1/nowhere'],
        ['GET', '/api'],
        ['GET', '/api/v2/tasks'],
        ['GET', '/healthz/more'],
        ['GET', '/readyz/x'],
        ['GET', '/assets'],
        ['POST', '/login'],
        ['DELETE', '/settings/tokens'],
        ['PUT', '/'],
      ] as const) {
        const res = await app().request(method, p);
        expectError(res, 404, 'ROUTE_NOT_FOUND');
      }
      expect((await app().request('GET', '/healthz')).body).toEqual({ status: 'ok' });
      expect((await app().request('GET', '/docs/')).text).toContain('swagger');
    });

    it('keeps a page load well inside the anonymous rate limit (300 a minute here)', async () => {
      for (let load = 0; load < 20; load++) {
        for (const p of [
          '/settings/tokens',
          '/assets/index-AbC123.js',
          '/assets/index-DeF456.css',
          '/favicon.svg',
          '/api/v1/auth/session',
        ]) {
          expect((await app().request('GET', p)).status, `${p} on load ${load}`).toBe(200);
        }
      }
    });
  },
  { TASKGATE_WEB_DIR: built, TASKGATE_ANONYMOUS_RATE_LIMIT: '300' },
);

describeEachDialect(
  'the web UI before it is built',
  (app) => {
    it('answers 503 in the JSON envelope, saying to run npm install', async () => {
      for (const p of ['/', '/settings/tokens']) {
        const res = await app().request('GET', p);
        expectError(res, 503, 'SERVICE_UNAVAILABLE');
        expect(res.body.error).toMatch(/npm install/);
      }
      expectError(await app().request('GET', '/assets/index-AbC123.js'), 404, 'ROUTE_NOT_FOUND');
      expect((await app().request('GET', '/api/v1/permissions')).status).toBe(200);
    });
  },
  { TASKGATE_WEB_DIR: unbuilt },
);

it('finds web/dist from the source tree, not the working directory, unless TASKGATE_WEB_DIR says otherwise', () => {
  const cwd = process.cwd();
  try {
    process.chdir(os.tmpdir());
    expect(loadConfig({}).webDir).toBe(path.join(ROOT, 'web', 'dist'));
    expect(loadConfig({ TASKGATE_WEB_DIR: 'ui' }).webDir).toBe(path.join(fs.realpathSync(os.tmpdir()), 'ui'));
  } finally {
    process.chdir(cwd);
  }
});
