/**
 * A bare Fastify server for bench/security-headers.ts: Taskgate's /healthz answer and nothing else
 * (no database, logger, cookies or authentication), with or without the security-header hook of
 * src/http/security-headers.ts. The two, measured in the same run, say what setting the headers costs
 * a bare route by itself.
 *
 * Environment: PORT, HEADERS (`hook` or `none`), TASKGATE_PUBLIC_URL (https adds HSTS).
 */
import Fastify from 'fastify';
import { registerSecurityHeaders, securityHeaders } from '../src/http/security-headers.js';

const app = Fastify({ logger: false });
if (process.env.HEADERS === 'hook') registerSecurityHeaders(app, securityHeaders(process.env.TASKGATE_PUBLIC_URL ?? null));
app.get('/healthz', async () => ({ status: 'ok' }));

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
