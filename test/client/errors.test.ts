import { afterAll, beforeAll, expect, it } from 'vitest';
import { Taskgate, TaskgateError, type RequestEvent } from '../../packages/client/src/index.js';
import { FaultProxy } from './fault-proxy.js';
import { describeWithServer, userWithProject } from './server.js';

async function rejection(promise: Promise<unknown>): Promise<TaskgateError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskgateError);
  return error as TaskgateError;
}

describeWithServer('@taskgate/client: errors, retries, timeouts', (server) => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await FaultProxy.start(server().url);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('maps 400, 401, 403, 404, 409 and 412 answers to TaskgateError with their details', async () => {
    const { tg, workspace, project } = await userWithProject(server().url);
    const invalid = await rejection(tg.tasks.create({ projectId: project.id, title: '' }));
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(invalid.fields.map((f) => f.field)).toContain('title');

    const unknown = await rejection(new Taskgate({ baseUrl: server().url, token: 'tgp_not-a-real-token' }).me.get());
    expect(unknown).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(unknown.requestId).toMatch(/\S/);

    const readOnly = await tg.tokens.create({ name: 'reader', permissions: ['tasks:read'] });
    const reader = new Taskgate({ baseUrl: server().url, token: readOnly.token });
    const denied = await rejection(reader.tasks.create({ projectId: project.id, title: 'Not allowed' }));
    expect(denied).toMatchObject({ status: 403, code: 'PERMISSION_DENIED', missingPermission: 'tasks:create' });

    expect(await rejection(tg.tasks.get('tsk_doesnotexist'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    const task = await tg.tasks.create({ projectId: project.id, title: 'Contended' });
    const first = await tg.agents.register(workspace.id, { name: 'first' });
    const second = await tg.agents.register(workspace.id, { name: 'second' });
    await new Taskgate({ baseUrl: server().url, token: first.token }).tasks.claim(task.id);
    const taken = await rejection(new Taskgate({ baseUrl: server().url, token: second.token }).tasks.claim(task.id));
    expect(taken).toMatchObject({ status: 409, code: 'TASK_ALREADY_CLAIMED' });

    const current = await tg.tasks.get(task.id);
    await tg.tasks.update(task.id, { title: 'Changed elsewhere' }, { ifMatch: current.version });
    const stale = await rejection(tg.tasks.update(task.id, { title: 'Stale edit' }, { ifMatch: current.version }));
    expect(stale).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
  });

  it('maps a 429 with its Retry-After, and does not wait longer than allowed', async () => {
    const { tg } = await userWithProject(server().url);
    const limited = await tg.tokens.create({ name: 'slow', rateLimitPerMinute: 2 });
    const noRetry = new Taskgate({ baseUrl: server().url, token: limited.token, retry: false });
    await noRetry.me.get();
    await noRetry.me.get();
    const refused = await rejection(noRetry.me.get());
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);

    // The real server wants up to a minute: a client told to wait at most 0 s gives up at once.
    const impatient = new Taskgate({ baseUrl: server().url, token: limited.token, retry: { maxRetryAfterSeconds: 0 } });
    expect(await rejection(impatient.me.get())).toMatchObject({ status: 429 });
  });

  it('waits for Retry-After on a 429 and then succeeds, reporting every attempt', async () => {
    const { sessionToken } = await userWithProject(server().url);
    const events: RequestEvent[] = [];
    const tg = new Taskgate({ baseUrl: proxy.url, token: sessionToken, onRequest: (e) => events.push(e) });
    proxy.faults((i) =>
      i === 0
        ? {
            kind: 'answer',
            status: 429,
            headers: { 'retry-after': '1' },
            body: '{"error":"slow down","code":"RATE_LIMITED","statusCode":429,"requestId":"x"}',
          }
        : { kind: 'forward' },
    );
    const started = Date.now();
    // A POST too: a 429 means nothing was done, so it is safe to send again.
    const workspace = await tg.workspaces.create({ name: 'After a 429' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(workspace.name).toBe('After a 429');
    expect(proxy.seen).toHaveLength(2);
    expect(events.map((e) => [e.attempt, e.status, e.willRetry])).toEqual([
      [1, 429, true],
      [2, 201, false],
    ]);
  });

  it('retries idempotent calls after a 5xx or a dropped connection, and never a POST', async () => {
    const { sessionToken, workspace } = await userWithProject(server().url);
    const tg = new Taskgate({ baseUrl: proxy.url, token: sessionToken, retry: { backoffMs: 10 } });

    proxy.faults((i) => (i === 0 ? { kind: 'answer', status: 503, body: 'upstream restarting' } : { kind: 'forward' }));
    expect(await tg.workspaces.get(workspace.id)).toMatchObject({ id: workspace.id });
    expect(proxy.seen).toHaveLength(2);

    proxy.faults((i) => (i === 0 ? { kind: 'drop' } : { kind: 'forward' }));
    expect(await tg.workspaces.get(workspace.id)).toMatchObject({ id: workspace.id });
    expect(proxy.seen).toHaveLength(2);

    proxy.faults(() => ({ kind: 'answer', status: 503, body: 'upstream restarting' }));
    const refused = await rejection(tg.workspaces.create({ name: 'Not twice' }));
    expect(refused).toMatchObject({ status: 503, code: 'UNEXPECTED_RESPONSE' });
    expect(proxy.seen).toHaveLength(1);

    proxy.faults(() => ({ kind: 'answer', status: 502 }));
    expect(await rejection(tg.workspaces.get(workspace.id))).toMatchObject({ status: 502 });
    expect(proxy.seen).toHaveLength(3);
  });

  it('gives up at the timeout or when aborted, and refuses an empty id before sending anything', async () => {
    const { sessionToken, workspace } = await userWithProject(server().url);
    const tg = new Taskgate({ baseUrl: proxy.url, token: sessionToken, timeoutMs: 200 });
    proxy.faults(() => ({ kind: 'delay', ms: 1500 }));
    await expect(tg.workspaces.get(workspace.id)).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    const pending = tg.workspaces.get(workspace.id, { signal: controller.signal, timeoutMs: 0 });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    proxy.faults(() => ({ kind: 'forward' }));
    await expect(tg.tokens.revoke('')).rejects.toThrow(TypeError);
    expect(() => tg.tasks.get(' ')).toThrow(TypeError);
    expect(proxy.seen).toHaveLength(0);
  });
});
