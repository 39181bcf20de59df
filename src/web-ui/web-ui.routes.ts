import fs from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { AnyQuery } from '../http/schemas.js';

// Paths that belong to the server, never to the UI: an unknown one is a JSON 404, not the UI's page.
const SERVER_PATHS = new Set(['api', 'docs', 'healthz', 'readyz', 'assets']);

// Built assets are named after their content hash: a changed file gets a new name, so one may be kept for good.
const FOREVER = { cacheControl: true, maxAge: 365 * 24 * 60 * 60 * 1000, immutable: true } as const;
// Files that keep their name are checked again (ETag) on every use.
const REVALIDATE = { cacheControl: false } as const;

// A path inside assets/: plain file names, one or more levels, none starting with a dot. This refuses
// `..`, `\`, NUL, `%` and empty segments, whatever the URL encoding was, before any file is opened
// (and @fastify/static refuses non-canonical paths again).
const ASSET_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
function isAssetPath(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name.split('/').every((segment) => ASSET_SEGMENT.test(segment));
}

// The folder is named in the server's log, not to the public.
const NOT_BUILT = new AppError(
  'SERVICE_UNAVAILABLE',
  'The web UI is not built: run `npm install`, which builds it (or set TASKGATE_WEB_DIR to a built UI)',
);

// The query string is the UI's (its filters and paging live in the URL): any is accepted, none is read.
const page = { config: { auth: 'public' }, schema: { hide: true, querystring: AnyQuery } } as const;

/**
 * The built web UI (TASKGATE_WEB_DIR, by default web/dist): hashed files under /assets/ kept for a
 * year, the favicon, and index.html for every other GET path that is not the server's own (the UI
 * routes in the browser: /login, /settings/tokens…). Public, and hidden from the API document.
 */
export function webUiRoutes(ctx: AppContext): FastifyPluginAsync {
  const root = ctx.config.webDir;
  const indexFile = path.join(root, 'index.html');
  let toldLog = false;

  async function sendIndex(reply: FastifyReply): Promise<FastifyReply> {
    try {
      await fs.access(indexFile);
    } catch {
      if (!toldLog) reply.log.warn(`The web UI is not built: ${indexFile} is missing`);
      toldLog = true;
      throw NOT_BUILT;
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root, REVALIDATE);
  }

  return async (app) => {
    await app.register(fastifyStatic, { root, serve: false, index: false, dotfiles: 'deny', suppressWarning: true });

    app.get<{ Params: { '*': string } }>('/assets/*', page, async (request, reply) => {
      const name = request.params['*'];
      if (!isAssetPath(name)) throw new AppError('NOT_FOUND', 'No such file');
      return reply.sendFile(name, path.join(root, 'assets'), FOREVER);
    });

    // Browsers ask for /favicon.ico on their own: they get the same icon.
    for (const url of ['/favicon.svg', '/favicon.ico']) {
      app.get(url, page, async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('favicon.svg', root, REVALIDATE));
    }

    app.get('/', page, async (_request, reply) => sendIndex(reply));

    app.get<{ Params: { '*': string } }>('/*', page, async (request, reply) => {
      const first = request.params['*'].split('/', 1)[0]!;
      if (SERVER_PATHS.has(first)) return reply.callNotFound();
      return sendIndex(reply);
    });
  };
}
