import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { rawRequest, type RawAnswer } from './raw-http.js';

/** Every answer, however early the request was refused: the JSON envelope, its request id and the security headers. */
function expectEnvelope(answer: RawAnswer, status: number, code: string, where: string): void {
  expect(answer.status, where).toBe(status);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body, where).toMatchObject({ code, statusCode: status, error: expect.any(String) });
  expect(body.requestId, where).toMatch(/^[\w.-]{1,64}$/);
  expect(answer.headers.get('x-request-id'), where).toBe(body.requestId);
  expect(answer.headers.get('content-type'), where).toMatch(/^application\/json/);
  expect(answer.headers.get('content-security-policy'), where).toContain("default-src 'self'");
  expect(answer.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(answer.headers.get('x-frame-options'), where).toBe('DENY');
}

const END = '\r\n\r\n';

describeEachDialect(
  'requests refused before routing: the envelope, the request id and the headers',
  (app) => {
    it('answers what the router refuses (a bad % escape, an over-long path id)', async () => {
      for (const [line, where] of [
        ['GET /api/v1/tasks/%zz HTTP/1.1', 'bad escape'],
        [`DELETE /api/v1/tasks/${'x'.repeat(101)} HTTP/1.1`, 'long id'],
      ]) {
        const answer = await rawRequest(app().url, [`${line}\r\nHost: x\r\nConnection: close${END}`]);
        expectEnvelope(answer, 400, 'BAD_REQUEST', where!);
      }
    });

    it('answers what Node’s HTTP parser refuses: two Content-Lengths, a NUL in a header, a broken request line; and closes', async () => {
      const cases: Array<[string, string]> = [
        [
          'duplicate Content-Length',
          `POST /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3${END}{}`,
        ],
        ['NUL in a header', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\0b${END}`],
        ['broken request line', `HELLO THERE${END}`],
        ['space in the path', `GET /a b HTTP/1.1\r\nHost: x${END}`],
        ['bad header name', `GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1${END}`],
        [
          'Content-Length beside chunked',
          `POST /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked${END}{}`,
        ],
      ];
      for (const [where, request] of cases) {
        const answer = await rawRequest(app().url, [request]);
        expectEnvelope(answer, 400, 'BAD_REQUEST', where);
        expect(answer.headers.get('connection'), where).toBe('close');
        expect(answer.closed, where).toBe(true);
      }
    });

    it('answers an HTTP/1.1 request without Host with the envelope (HTTP/1.0 needs none)', async () => {
      const answer = await rawRequest(app().url, [`GET /healthz HTTP/1.1\r\nConnection: close${END}`]);
      expectEnvelope(answer, 400, 'BAD_REQUEST', 'no Host');
      expect((await rawRequest(app().url, [`GET /healthz HTTP/1.0${END}`])).status).toBe(200);
    });

    it('answers 431 HEADERS_TOO_LARGE to headers over the size limit', async () => {
      const answer = await rawRequest(app().url, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}${END}`]);
      expectEnvelope(answer, 431, 'HEADERS_TOO_LARGE', '431');
      expect(answer.headers.get('connection')).toBe('close');
      const longUrl = await rawRequest(app().url, [`GET /api/v1/tasks?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x${END}`]);
      expectEnvelope(longUrl, 431, 'HEADERS_TOO_LARGE', 'over-long URL');
    });

    it('answers 408 REQUEST_TIMEOUT to a body that does not arrive within the request timeout', async () => {
      // Headers at once, then a few bytes of a 100-byte body, then nothing: the socket must not stay open.
      const answer = await rawRequest(
        app().url,
        [`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100${END}`, '{"email":'],
        { gapMs: 50, waitMs: 20_000 },
      );
      expectEnvelope(answer, 408, 'REQUEST_TIMEOUT', 'slow body');
      expect(answer.closed).toBe(true);
    });

    it('answers 408 to headers that never end', async () => {
      const answer = await rawRequest(app().url, ['GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n'], { gapMs: 50, waitMs: 20_000 });
      expectEnvelope(answer, 408, 'REQUEST_TIMEOUT', 'slow headers');
    });

    it('still answers a well-formed request on a kept-alive connection as before', async () => {
      const answer = await rawRequest(app().url, [`GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close${END}`]);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-request-id')).toBeTruthy();
    });
  },
  { TASKGATE_REQUEST_TIMEOUT: '1s' },
);
