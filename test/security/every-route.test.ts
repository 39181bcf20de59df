import { beforeAll, expect, it } from 'vitest';
import type { AuthRequirement } from '../../src/auth/auth-requirement.js';
import { newId } from '../../src/lib/ids.js';
import { createUser } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import {
  ACCEPTED_KINDS,
  answerOf,
  createStrangers,
  expectAuthenticationRefusals,
  type RouteRequest,
  type Strangers,
} from '../helpers/security.js';
import { registeredRoutes, type RegisteredRoute } from './registered-routes.js';
import { PROTECTED_ROUTES, type RouteEntry, type Target } from './route-table.js';

const keyOf = (route: Pick<RegisteredRoute, 'method' | 'url'>) => `${route.method} ${route.url}`;

/** The same request naming a fresh id where the target names the hidden one. */
function missingOf(target: Target): RouteRequest {
  const { id, kind } = target.hidden!;
  const fresh = newId(kind);
  const swap = (text: string) => text.split(id).join(fresh);
  const body = target.body === undefined ? undefined : JSON.parse(swap(JSON.stringify(target.body)));
  return { method: '', path: swap(target.path), body };
}

async function checkOutsiders(t: TestApp, method: string, auth: AuthRequirement, entry: RouteEntry, target: Target, strangers: Strangers) {
  const request = { method, path: target.path, body: target.body };
  const missing = target.hidden ? { ...missingOf(target), method } : null;
  const label = `${method} ${target.path}`;
  if (entry.outsider === 'as-missing') {
    expect(missing, `${label}: an 'as-missing' entry names its hidden id`).not.toBeNull();
    for (const kind of ACCEPTED_KINDS[auth as Exclude<AuthRequirement, 'public'>]) {
      const token = strangers.credentials[kind];
      const existing = await t.request(method, request.path, { body: request.body, token });
      const absent = await t.request(method, missing!.path, { body: missing!.body, token });
      expect(existing.status, `${label} as a stranger's ${kind}: ${JSON.stringify(existing.body)}`).toBe(404);
      expect(answerOf(existing), `${label} as a stranger's ${kind}`).toEqual(answerOf(absent));
    }
    return;
  }
  // By design not a 404: asked by a fresh user, since some of these change the caller's own account.
  const { token } = await createUser(t, { name: 'Outsider' });
  const res = await t.request(method, request.path, { body: request.body, token });
  expect(res.status, `${label} (${entry.outsider.why}): ${JSON.stringify(res.body)}`).toBe(entry.outsider.status);
  if (entry.outsider.code) expect(res.body.code).toBe(entry.outsider.code);
  if (!missing) return;
  const absent = await t.request(method, missing.path, { body: missing.body, token });
  expect(answerOf(res), `${label}: an existing id answers as a missing one`).toEqual(answerOf(absent));
}

describeEachDialect(
  'every protected route: authentication and outsiders',
  (app) => {
    let routes: RegisteredRoute[] = [];
    let strangers: Strangers;

    beforeAll(async () => {
      routes = (await registeredRoutes(app().ctx)).filter((route) => route.auth !== 'public');
      strangers = await createStrangers(app());
    });

    it('has one entry per protected route the app registers, and none for a route that does not exist', () => {
      const registered = routes.map(keyOf);
      expect(registered.length).toBeGreaterThan(50);
      const withoutEntry = registered.filter((key) => !(key in PROTECTED_ROUTES));
      const withoutRoute = Object.keys(PROTECTED_ROUTES).filter((key) => !registered.includes(key));
      expect({ withoutEntry, withoutRoute }).toEqual({ withoutEntry: [], withoutRoute: [] });
      for (const key of registered)
        expect(
          routes.filter((r) => keyOf(r) === key),
          key,
        ).toHaveLength(1);
    });

    for (const [key, entry] of Object.entries(PROTECTED_ROUTES)) {
      it(key, async () => {
        const route = routes.find((r) => keyOf(r) === key);
        expect(route, `${key} is not a registered protected route`).toBeDefined();
        const t = app();
        const target = await entry.target(t);
        await expectAuthenticationRefusals(t, { method: route!.method, path: target.path, body: target.body }, strangers.endedSession);
        await checkOutsiders(t, route!.method, route!.auth!, entry, target, strangers);
      });
    }
  },
  { TASKGATE_TOKEN_RATE_LIMIT: '100000' },
);
