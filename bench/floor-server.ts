/**
 * The framework floor for bench/auth.ts: the least any Fastify server does for the bench's bare route
 * and its token task read, with none of Taskgate (no database, logger, cookies, validation or
 * authorisation). Its two throughputs, measured in the same run, say how close to the 60% target a
 * server can get on this machine at all.
 *
 * Environment: PORT, FLOOR_TOKEN (the one valid bearer token), FLOOR_TASK_JSON (the body to answer).
 */
import { hash } from 'node:crypto';
import Fastify from 'fastify';

const tokenHash = hash('sha256', process.env.FLOOR_TOKEN ?? '', 'hex');
const task: unknown = JSON.parse(process.env.FLOOR_TASK_JSON ?? '{}');

const app = Fastify({ logger: false });

// What any token route must do: read the header, hash the token, find it, answer 401 or go on.
app.addHook('onRequest', async (request, reply) => {
  if (request.url === '/healthz') return;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match || hash('sha256', match[1]!, 'hex') !== tokenHash) return reply.code(401).send({ error: 'UNAUTHENTICATED' });
  reply.header('RateLimit-Policy', '"default";q=1000000000;w=60');
  reply.header('RateLimit', '"default";r=999999999;t=60');
});

app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/tasks/:id', async () => task);

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
