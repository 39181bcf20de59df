import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors/catalogue.js';
import { ROOT } from '../helpers/server-process.js';
import { OPENAPI_FILE, serverDocument, staleFiles } from '../../scripts/generate-client.js';

type Operation = Record<string, any>;

function operations(document: any): Array<{ method: string; path: string; operation: Operation }> {
  return Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([p, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, path: p, operation })),
  );
}

describe('the OpenAPI document and the client generated from it', () => {
  it('matches the committed openapi.json and generated types (run `npm run generate:client` after changing a route)', async () => {
    expect(await staleFiles()).toEqual([]);
  });

  it('passes the Redocly linter with no error and no warning (redocly.yaml)', () => {
    let output: string;
    try {
      output = execFileSync(path.join(ROOT, 'node_modules/.bin/redocly'), ['lint', OPENAPI_FILE, '--format=json'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    const report = JSON.parse(output.slice(output.indexOf('{')));
    const problems = report.problems.map((p: { ruleId: string; message: string }) => `${p.ruleId}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('names every operation uniquely, describes it, and declares its tag', async () => {
    const document: any = await serverDocument();
    const all = operations(document);
    expect(all.length).toBeGreaterThanOrEqual(80);
    const ids = all.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(document.tags.map((t: { name: string }) => t.name));
    for (const { method, path: p, operation } of all) {
      expect(operation.operationId, `${method} ${p}`).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
      expect(operation.description, `${method} ${p}`).toMatch(/\S/);
      expect(operation.tags, `${method} ${p}`).toHaveLength(1);
      expect(tags.has(operation.tags[0]), `${method} ${p}`).toBe(true);
    }
  });

  it('refers to named shapes and error responses instead of repeating them', async () => {
    const document: any = await serverDocument();
    const schemas = document.components.schemas;
    for (const name of [
      'Task',
      'Token',
      'IssuedToken',
      'AccessToken',
      'Agent',
      'Webhook',
      'Delivery',
      'Event',
      'Error',
      'WebhookPayload',
      'TaskPage',
    ]) {
      expect(schemas[name], name).toBeDefined();
    }
    expect(schemas.Error.properties.code.enum.sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
    expect(Object.keys(schemas.Error.properties)).toEqual(expect.arrayContaining(['fields', 'missingPermission', 'retryAfterSeconds']));
    const get = document.paths['/api/v1/tasks/{id}'].get;
    expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Task' });
    expect(get.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    // Shapes named once keep the document near 2.4 kB an operation; inlining them again would double it.
    const operations = Object.values(document.paths).flatMap((item: any) => Object.keys(item)).length;
    expect(JSON.stringify(document).length / operations).toBeLessThan(2_600);
  });

  it('documents what every route may answer: 413/415 where a body is taken, 429 where limited, the headers, public security', async () => {
    const document: any = await serverDocument();
    for (const { method, path: p, operation } of operations(document)) {
      const statuses = Object.keys(operation.responses);
      const where = `${method} ${p}`;
      expect(statuses, where).toContain('400');
      if (['post', 'put', 'patch', 'delete'].includes(method)) expect(statuses, where).toEqual(expect.arrayContaining(['413', '415']));
      if (!['/healthz', '/readyz'].includes(p)) expect(statuses, where).toContain('429');
      const success = Object.entries(operation.responses)
        .filter(([s]) => Number(s) < 300)
        .map(([, r]) => r as Operation);
      for (const response of success) {
        expect(response.description, where).not.toBe('Default Response');
        expect(Object.keys(response.headers), where).toContain('x-request-id');
      }
    }
    const paths = document.paths;
    for (const [p, method] of [
      ['/healthz', 'get'],
      ['/api/v1/auth/register', 'post'],
      ['/api/v1/permissions', 'get'],
    ] as const) {
      expect(paths[p][method].security, `${method} ${p}`).toEqual([]);
      expect(paths[p][method].responses['401'], `${method} ${p}: public routes ignore bad credentials`).toBeUndefined();
    }
    // Signing in is public too, and answers 401 for a wrong password.
    expect(paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(paths['/api/v1/auth/login'].post.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(paths['/api/v1/me'].get.responses['401']).toBeDefined();
    expect(document.components.responses.TooManyRequests.headers['Retry-After']).toBeDefined();
    expect(document.components.responses.Unauthorized.headers['WWW-Authenticate']).toBeDefined();
    expect(Object.keys(paths['/api/v1/tasks/{id}'].patch.responses['200'].headers)).toContain('ETag');
    expect(paths['/api/v1/tasks'].get.description).toMatch(/projectId.*workspaceId|workspaceId.*projectId/);
    expect(paths['/api/v1/tasks/{id}/claim'].post.requestBody.required).toBe(false);
    expect(document.info.license).toBeDefined();
    expect(document.servers.length).toBeGreaterThan(0);
  });
});
