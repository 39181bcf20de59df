import { expect, it } from 'vitest';
import { createUser, expectError, login } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createProject, createTask, ok, ownProject } from '../tasks/fixtures.js';
import { createToken } from '../tokens/helpers.js';
import { eventAbout, isEnd, openStream, STREAM_TEST_ENV, streamPath } from './stream-reader.js';

/** The workspace's events as `GET …/events` lists them, oldest first. */
async function listedEvents(t: TestApp, token: string, workspaceId: string): Promise<any[]> {
  return ok(await t.request('GET', `/api/v1/workspaces/${workspaceId}/events?limit=200`, { token })).items.reverse();
}

describeEachDialect(
  'the event stream',
  (app) => {
    it('sends each new event once as id, event and data, with the stream and security headers', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const stream = await openStream(app().url, workspace.id, { token: owner.token });
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        expect(stream.headers['cache-control']).toBe('no-cache');
        expect(stream.headers['x-accel-buffering']).toBe('no');
        expect(stream.headers['x-content-type-options']).toBe('nosniff');
        expect(stream.headers['x-request-id']).toMatch(/\S/);
        await stream.waitFor((item) => item.kind === 'retry', 'the retry hint');
        const task = await createTask(app(), owner, project.id, { title: 'Streamed' });
        await stream.waitFor(eventAbout('task.created', task.id), 'task.created');
        const listed = (await listedEvents(app(), owner.token, workspace.id)).filter((e) => e.resourceId === task.id);
        const streamed = stream.events().filter((e) => e.data.resourceId === task.id);
        expect(streamed.map((e) => e.data)).toEqual(listed);
        expect(streamed[0]!.id).toMatch(/\S/);
      } finally {
        stream.close();
      }
    });

    it('resumes from Last-Event-ID or ?after= without gaps or repeats', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const first = await openStream(app().url, workspace.id, { token: owner.token });
      const a = await createTask(app(), owner, project.id, { title: 'A' });
      const seenA = await first.waitFor(eventAbout('task.created', a.id), 'task A');
      first.close();
      await first.ended;
      const lastId = seenA.kind === 'message' ? seenA.id! : '';

      // Made while nobody listens: one of them in the same transaction-free burst as another.
      const b = await createTask(app(), owner, project.id, { title: 'B' });
      const c = await createTask(app(), owner, project.id, { title: 'C' });
      const missed = (await listedEvents(app(), owner.token, workspace.id)).filter((e) => [b.id, c.id].includes(e.resourceId));
      expect(missed.length).toBeGreaterThanOrEqual(2);

      const eventId = seenA.kind === 'message' ? (JSON.parse(seenA.data) as { id: string }).id : '';
      for (const resume of [{ lastEventId: lastId }, { after: lastId }, { after: eventId }]) {
        const again = await openStream(app().url, workspace.id, { token: owner.token, ...resume });
        try {
          await again.waitFor(eventAbout('task.created', c.id), `task C after ${JSON.stringify(resume)}`);
          const d = await createTask(app(), owner, project.id, { title: 'D' });
          await again.waitFor(eventAbout('task.created', d.id), 'a live event after the backlog');
          const received = again.events().map((e) => e.data.id);
          expect(new Set(received).size).toBe(received.length);
          if ('after' in resume && resume.after === eventId) {
            // After an event id the stream may begin a little earlier (see positionAfterEvent), never later.
            expect(received.filter((id) => missed.some((e) => e.id === id))).toEqual(missed.map((e) => e.id));
          } else {
            expect(received.slice(0, missed.length)).toEqual(missed.map((e) => e.id));
          }
        } finally {
          again.close();
        }
      }
    });

    it('refuses a cursor it did not give, or an event of another workspace, with 400 before streaming', async () => {
      const { owner, workspace } = await ownProject(app());
      const other = await ownProject(app());
      const [otherEvent] = await listedEvents(app(), other.owner.token, other.workspace.id);
      const forged = Buffer.from(JSON.stringify({ txid: 'x', seq: 1 })).toString('base64url');
      for (const [options, field] of [
        [{ after: 'not-a-cursor' }, 'after'],
        [{ lastEventId: forged }, 'Last-Event-ID'],
        [{ after: otherEvent.id }, 'after'],
      ] as const) {
        const res = await app().request('GET', streamPath(workspace.id, 'after' in options ? options : {}), {
          token: owner.token,
          headers: 'lastEventId' in options ? { 'last-event-id': options.lastEventId } : {},
        });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.fields).toEqual([expect.objectContaining({ field })]);
      }
    });

    it('answers outsiders 404, callers without credentials 401, and a project outside a token 403', async () => {
      const { owner, workspace, space, project } = await ownProject(app());
      const other = await createProject(app(), owner, space.id, 'Other');
      const outsider = await createUser(app());
      expectError(await app().request('GET', streamPath(workspace.id), { token: outsider.token }), 404, 'NOT_FOUND');
      expectError(await app().request('GET', streamPath(workspace.id)), 401, 'UNAUTHENTICATED');
      const limited = await createToken(app(), owner, { projectIds: [project.id] });
      expectError(
        await app().request('GET', streamPath(workspace.id, { projectId: other.id }), { token: limited.token }),
        403,
        'PROJECT_OUT_OF_SCOPE',
      );
    });

    it("never shows a project-limited token another project's events, nor workspace-wide ones", async () => {
      const { owner, workspace, space, project } = await ownProject(app());
      const other = await createProject(app(), owner, space.id, 'Other');
      const limited = await createToken(app(), owner, { projectIds: [project.id] });
      const stream = await openStream(app().url, workspace.id, { token: limited.token });
      try {
        const hidden = await createTask(app(), owner, other.id, { title: 'Hidden' });
        ok(await app().request('POST', `/api/v1/workspaces/${workspace.id}/labels`, { token: owner.token, body: { name: 'bug' } }), 201);
        const shown = await createTask(app(), owner, project.id, { title: 'Shown' });
        await stream.waitFor(eventAbout('task.created', shown.id), 'the task of its own project');
        // Events recorded just before the stream opened may come too (PostgreSQL: see latestPosition): all of its project.
        expect(stream.events().map((e) => e.data.projectId)).toEqual(stream.events().map(() => project.id));
        expect(stream.events().some((e) => e.data.resourceId === hidden.id)).toBe(false);
      } finally {
        stream.close();
      }
    });

    it('filters to one project when asked', async () => {
      const { owner, workspace, space, project } = await ownProject(app());
      const other = await createProject(app(), owner, space.id, 'Other');
      const stream = await openStream(app().url, workspace.id, { token: owner.token, projectId: project.id });
      try {
        await createTask(app(), owner, other.id);
        const shown = await createTask(app(), owner, project.id);
        await stream.waitFor(eventAbout('task.created', shown.id), 'the chosen project’s task');
        expect(stream.events().map((e) => e.data.projectId)).toEqual(stream.events().map(() => project.id));
        expect(
          stream
            .events()
            .filter((e) => e.type === 'task.created')
            .map((e) => e.data.resourceId),
        ).toEqual([shown.id]);
      } finally {
        stream.close();
      }
    });

    it('ends a revoked token’s stream with event: end, and sends it nothing after', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const token = await createToken(app(), owner);
      const stream = await openStream(app().url, workspace.id, { token: token.token });
      try {
        await stream.waitFor((item) => item.kind === 'comment', 'a heartbeat');
        expect((await app().request('DELETE', `/api/v1/tokens/${token.id}`, { token: owner.token })).status).toBe(204);
        const after = await createTask(app(), owner, project.id);
        const end = await stream.waitFor(isEnd, 'event: end');
        await stream.ended;
        expect(end.kind === 'message' && JSON.parse(end.data)).toMatchObject({
          code: expect.stringMatching(/^(TOKEN_REVOKED|INVALID_TOKEN)$/),
        });
        expect(stream.events().some((e) => e.data.resourceId === after.id)).toBe(false);
      } finally {
        stream.close();
      }
    });

    it('ends the stream of a token that loses events:read', async () => {
      const { owner, workspace } = await ownProject(app());
      const token = await createToken(app(), owner, { permissions: ['events:read', 'tasks:read'] });
      const stream = await openStream(app().url, workspace.id, { token: token.token });
      try {
        await stream.waitFor((item) => item.kind === 'comment', 'a heartbeat');
        ok(await app().request('PATCH', `/api/v1/tokens/${token.id}`, { token: owner.token, body: { permissions: ['tasks:read'] } }));
        const end = await stream.waitFor(isEnd, 'event: end');
        expect(end.kind === 'message' && JSON.parse(end.data)).toMatchObject({ code: 'PERMISSION_DENIED' });
      } finally {
        stream.close();
      }
    });

    it('streams to a browser session (cookie) with heartbeats, and ends it when the session signs out', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const browser = await login(app(), owner.email, owner.password);
      const stream = await openStream(app().url, workspace.id, { cookie: browser });
      try {
        expect(stream.status).toBe(200);
        const task = await createTask(app(), owner, project.id);
        await stream.waitFor(eventAbout('task.created', task.id), 'the task');
        await stream.waitFor((item) => item.kind === 'comment' && item.text === 'ping', 'a heartbeat');
        expect((await app().request('POST', '/api/v1/auth/logout', { token: browser })).status).toBeLessThan(300);
        const end = await stream.waitFor(isEnd, 'event: end');
        await stream.ended;
        expect(end.kind === 'message' && JSON.parse(end.data)).toMatchObject({ code: 'INVALID_TOKEN' });
      } finally {
        stream.close();
      }
    });

    it('bounds the streams one credential holds open, and frees a slot when one closes', async () => {
      const { owner, workspace } = await ownProject(app());
      const token = await createToken(app(), owner);
      const open = [
        await openStream(app().url, workspace.id, { token: token.token }),
        await openStream(app().url, workspace.id, { token: token.token }),
      ];
      try {
        expect(open.map((s) => s.status)).toEqual([200, 200]);
        const third = await openStream(app().url, workspace.id, { token: token.token });
        expect(third.status).toBe(429);
        expect(third.body).toMatchObject({ code: 'TOO_MANY_STREAMS', statusCode: 429 });
        // Another credential of the same user has its own slots.
        const session = await openStream(app().url, workspace.id, { token: owner.token });
        expect(session.status).toBe(200);
        session.close();
        open.shift()!.close();
        // The server learns of the close when the socket ends: wait for it rather than for a fixed time.
        let reopened = await openStream(app().url, workspace.id, { token: token.token });
        for (let i = 0; reopened.status === 429 && i < 100; i++) {
          await new Promise((r) => setTimeout(r, 50));
          reopened = await openStream(app().url, workspace.id, { token: token.token });
        }
        expect(reopened.status).toBe(200);
        open.push(reopened);
      } finally {
        for (const s of open) s.close();
      }
    });
  },
  STREAM_TEST_ENV,
);
