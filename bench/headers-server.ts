/**
 * A bare Fastify server for bench/security-headers.ts: Taskgate's /healthz answer and nothing else
 * (no database, logger, cookies or authentication), with or without a hook setting the security headers
 * of src/http/security-headers.ts (as the app's first request hook does). The two, measured in the same
 * run, say what setting the headers costs a bare route by itself.
 *
 * Environment: PORT, HEADERS (`hook` or `none`), TASKGATE_PUBLIC_URL (https adds HSTS).
 */
import Fastify from 'fastify';
import { securityHeaders, setHeaders } from '../src/http/security-headers.js';

const app = Fastify({ logger: false });
if (process.env.HEADERS === 'hook') {
  const headers = securityHeaders(process.env.TASKGATE_PUBLIC_URL ?? null);
  app.addHook('onRequest', (_request, reply, done) => {
    setHeaders(reply, headers);
    done();
  });
}
app.get('/healthz', async () => ({ status: 'ok' }));

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
