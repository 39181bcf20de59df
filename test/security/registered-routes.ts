import Fastify, { type RouteOptions } from 'fastify';
import type { AuthRequirement } from '../../src/auth/auth-requirement.js';
import type { AppContext } from '../../src/context.js';
import { registerRoutes } from '../../src/routes.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  auth: AuthRequirement | undefined;
}

/**
 * Every route the app registers, one per method, with the `config.auth` it declares. Read from an
 * `onRoute` hook on a bare Fastify that `registerRoutes` (the app's one route registry) fills; never
 * made ready, so nothing compiles, listens or starts.
 */
export async function registeredRoutes(ctx: AppContext): Promise<RegisteredRoute[]> {
  const routes: RegisteredRoute[] = [];
  const app = Fastify();
  app.addHook('onRoute', (route: RouteOptions) => {
    const auth = (route.config as { auth?: AuthRequirement } | undefined)?.auth;
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, auth });
  });
  await registerRoutes(app, ctx);
  // Fastify adds a HEAD route for every GET by itself: that is the GET route again, not one to list.
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  return routes.filter((r) => r.method !== 'HEAD' || !gets.has(r.url));
}
