import { expect, it } from 'vitest';
import { PERMISSION_NAMES } from '../../src/authz/permissions.js';
import { describeEachDialect } from '../helpers/harness.js';

describeEachDialect('OpenAPI, docs, probes and the permission catalogue', (app) => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await app().request('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = Object.keys(res.body.paths);
    for (const path of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/me',
      '/api/v1/sessions',
      '/api/v1/workspaces/{id}/members/{userId}',
    ]) {
      expect(paths).toContain(path);
    }
    const register = res.body.paths['/api/v1/auth/register'].post;
    // Request and response shapes are named components, referred to by $ref.
    expect(register.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/NewUser' });
    expect(res.body.components.schemas.NewUser.required).toEqual(expect.arrayContaining(['email', 'password', 'name']));
    expect(register.responses['400']).toBeDefined();
  });

  it('serves browsable docs at /docs', async () => {
    const res = await fetch(`${app().url}/docs/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger');
  });

  it('answers /healthz and /readyz', async () => {
    expect((await app().request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await app().request('GET', '/readyz')).body).toEqual({ status: 'ready', database: 'up', rateLimits: 'memory' });
  });

  it('lists every permission once, grouped by category with a description', async () => {
    const res = await app().request('GET', '/api/v1/permissions');
    expect(res.status).toBe(200);
    const names = res.body.categories.flatMap((c: { permissions: Array<{ name: string; description: string }> }) =>
      c.permissions.map((p) => p.name),
    );
    expect(names.sort()).toEqual([...PERMISSION_NAMES].sort());
    for (const category of res.body.categories) {
      expect(category.category).toEqual(expect.any(String));
      for (const p of category.permissions) expect(p.description.length).toBeGreaterThan(5);
    }
    expect(names).toEqual(
      expect.arrayContaining(['tasks:read', 'tasks:create', 'projects:write', 'members:write', 'webhooks:write', 'tokens:manage']),
    );
  });
});
