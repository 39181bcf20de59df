import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createAgent, createPersonalToken, createProject, createTask, createWorkspaceToken, ownProject } from '../tasks/fixtures.js';
import { addSomeone, createWebhook, FAST_WEBHOOKS, receiversClosedAfterEach, waitForDispatchIdle } from './helpers.js';

const receivers = receiversClosedAfterEach();

describeEachDialect(
  'webhooks limited to projects, and managed with tokens',
  (app) => {
    it('delivers task events with the task snapshot, only for the chosen projects', async () => {
      const { owner, workspace, space, project } = await ownProject(app());
      const other = await createProject(app(), owner, space.id, 'Other');
      const hook = await receivers.start();
      const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: hook.url, events: ['*'], projectIds: [project.id] });
      await createTask(app(), owner, other.id, { title: 'elsewhere' });
      await addSomeone(app(), { owner, workspace });
      const task = await createTask(app(), owner, project.id, { title: 'watched' });

      const request = await hook.nth(0);
      await waitForDispatchIdle(app(), [webhookId]);
      expect(hook.requests).toHaveLength(1);
      expect(JSON.parse(request.body)).toMatchObject({
        type: 'task.created',
        data: {
          projectId: project.id,
          resourceType: 'task',
          resourceId: task.id,
          actor: { type: 'user', id: owner.id },
          object: { id: task.id, title: 'watched' },
        },
      });
    });

    it('refuses projects that are not in the workspace', async () => {
      const { owner, workspace } = await ownProject(app());
      const stranger = await ownProject(app());
      const path = `/api/v1/workspaces/${workspace.id}/webhooks`;
      for (const projectIds of [['prj_missing'], [stranger.project.id]]) {
        const res = await app().request('POST', path, {
          token: owner.token,
          body: { url: 'http://127.0.0.1:9/', events: ['*'], projectIds },
        });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.fields[0].field).toBe('projectIds');
      }
    });

    it('lets a token with the permission manage webhooks, and holds a project-scoped token to its projects', async () => {
      const { owner, workspace, space, project } = await ownProject(app());
      const other = await createProject(app(), owner, space.id, 'Other');
      const path = `/api/v1/workspaces/${workspace.id}/webhooks`;
      const body = { url: 'http://127.0.0.1:9/', events: ['task.*'] };

      const teamKey = await createWorkspaceToken(app(), owner, workspace.id, 'administrator');
      const unscoped = await app().request('POST', path, { token: teamKey, body });
      expect(unscoped.status, JSON.stringify(unscoped.body)).toBe(201);
      expect(unscoped.body.createdBy.type).toBe('workspace_token');
      expectError(
        await app().request('POST', path, { token: await createWorkspaceToken(app(), owner, workspace.id, 'workspace_manager'), body }),
        403,
        'PERMISSION_DENIED',
      );
      const agent = await createAgent(app(), owner, workspace.id);
      expectError(await app().request('GET', path, { token: agent.token }), 403, 'AGENT_NOT_ALLOWED');

      const scopedToken = await createPersonalToken(app(), owner, { projectIds: [project.id] });
      expectError(await app().request('POST', path, { token: scopedToken, body }), 403, 'PROJECT_OUT_OF_SCOPE');
      expectError(
        await app().request('POST', path, { token: scopedToken, body: { ...body, projectIds: [other.id] } }),
        403,
        'PROJECT_OUT_OF_SCOPE',
      );
      const scoped = await app().request('POST', path, { token: scopedToken, body: { ...body, projectIds: [project.id] } });
      expect(scoped.status, JSON.stringify(scoped.body)).toBe(201);
      const listed = await app().request('GET', path, { token: scopedToken });
      expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([scoped.body.id]);
      expectError(await app().request('GET', `/api/v1/webhooks/${unscoped.body.id}`, { token: scopedToken }), 403, 'PROJECT_OUT_OF_SCOPE');
      expectError(
        await app().request('PATCH', `/api/v1/webhooks/${scoped.body.id}`, { token: scopedToken, body: { projectIds: null } }),
        403,
        'PROJECT_OUT_OF_SCOPE',
      );

      const readOnly = await createPersonalToken(app(), owner, { permissions: ['webhooks:read'] });
      expect((await app().request('GET', path, { token: readOnly })).status).toBe(200);
      expectError(await app().request('POST', path, { token: readOnly, body }), 403, 'PERMISSION_DENIED');
    });
  },
  FAST_WEBHOOKS,
);
