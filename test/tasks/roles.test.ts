import { expect, it } from 'vitest';
import type { Role } from '../../src/authz/roles.js';
import { expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect, type HttpResult, type TestApp } from '../helpers/harness.js';
import { createLabel, createSpace, createTask, ROLES_LOW_TO_HIGH, snapshotWorkspace, teamProject } from './fixtures.js';

type Team = Awaited<ReturnType<typeof teamProject>>;

interface RoleCase {
  route: string;
  /** The least role allowed; every role below gets 403, every role at or above succeeds. */
  minRole: Role;
  /** Acts as `as` on a fresh target made by the owner. */
  act: (t: TestApp, team: Team, as: TestUser) => Promise<HttpResult>;
}

const freshTask = (t: TestApp, team: Team) => createTask(t, team.owner, team.project.id);

const CASES: RoleCase[] = [
  {
    route: 'GET /workspaces/{id}/spaces',
    minRole: 'viewer',
    act: (t, f, as) => t.request('GET', `/api/v1/workspaces/${f.workspace.id}/spaces`, { token: as.token }),
  },
  {
    route: 'POST /workspaces/{id}/spaces',
    minRole: 'workspace_manager',
    act: (t, f, as) => t.request('POST', `/api/v1/workspaces/${f.workspace.id}/spaces`, { token: as.token, body: { name: 'S' } }),
  },
  {
    route: 'GET /spaces/{id}',
    minRole: 'viewer',
    act: (t, f, as) => t.request('GET', `/api/v1/spaces/${f.space.id}`, { token: as.token }),
  },
  {
    route: 'PATCH /spaces/{id}',
    minRole: 'workspace_manager',
    act: (t, f, as) => t.request('PATCH', `/api/v1/spaces/${f.space.id}`, { token: as.token, body: { name: 'Renamed' } }),
  },
  {
    route: 'DELETE /spaces/{id}',
    minRole: 'workspace_manager',
    act: async (t, f, as) =>
      t.request('DELETE', `/api/v1/spaces/${(await createSpace(t, f.owner, f.workspace.id, 'Empty')).id}`, { token: as.token }),
  },
  {
    route: 'GET /projects',
    minRole: 'viewer',
    act: (t, f, as) => t.request('GET', `/api/v1/projects?workspaceId=${f.workspace.id}`, { token: as.token }),
  },
  {
    route: 'POST /projects',
    minRole: 'workspace_manager',
    act: (t, f, as) => t.request('POST', '/api/v1/projects', { token: as.token, body: { spaceId: f.space.id, name: 'P' } }),
  },
  {
    route: 'GET /projects/{id}',
    minRole: 'viewer',
    act: (t, f, as) => t.request('GET', `/api/v1/projects/${f.project.id}`, { token: as.token }),
  },
  {
    route: 'PATCH /projects/{id}',
    minRole: 'workspace_manager',
    act: (t, f, as) => t.request('PATCH', `/api/v1/projects/${f.project.id}`, { token: as.token, body: { description: 'd' } }),
  },
  {
    route: 'DELETE /projects/{id}',
    minRole: 'workspace_manager',
    act: async (t, f, as) => {
      const project = (await t.request('POST', '/api/v1/projects', { token: f.owner.token, body: { spaceId: f.space.id, name: 'Doomed' } }))
        .body;
      return t.request('DELETE', `/api/v1/projects/${project.id}`, { token: as.token });
    },
  },
  {
    route: 'GET /workspaces/{id}/labels',
    minRole: 'viewer',
    act: (t, f, as) => t.request('GET', `/api/v1/workspaces/${f.workspace.id}/labels`, { token: as.token }),
  },
  {
    route: 'POST /workspaces/{id}/labels',
    minRole: 'workspace_manager',
    act: (t, f, as) =>
      t.request('POST', `/api/v1/workspaces/${f.workspace.id}/labels`, { token: as.token, body: { name: `L ${as.name}` } }),
  },
  {
    route: 'GET /labels/{id}',
    minRole: 'viewer',
    act: async (t, f, as) =>
      t.request('GET', `/api/v1/labels/${(await createLabel(t, f.owner, f.workspace.id, `get ${as.name}`)).id}`, { token: as.token }),
  },
  {
    route: 'PATCH /labels/{id}',
    minRole: 'workspace_manager',
    act: async (t, f, as) =>
      t.request('PATCH', `/api/v1/labels/${(await createLabel(t, f.owner, f.workspace.id, `patch ${as.name}`)).id}`, {
        token: as.token,
        body: { color: '#000000' },
      }),
  },
  {
    route: 'DELETE /labels/{id}',
    minRole: 'workspace_manager',
    act: async (t, f, as) =>
      t.request('DELETE', `/api/v1/labels/${(await createLabel(t, f.owner, f.workspace.id, `del ${as.name}`)).id}`, { token: as.token }),
  },
  {
    route: 'GET /workspaces/{id}/task-statuses',
    minRole: 'viewer',
    act: (t, f, as) => t.request('GET', `/api/v1/workspaces/${f.workspace.id}/task-statuses`, { token: as.token }),
  },
  {
    route: 'PUT /workspaces/{id}/task-statuses',
    minRole: 'administrator',
    act: (t, f, as) =>
      t.request('PUT', `/api/v1/workspaces/${f.workspace.id}/task-statuses`, {
        token: as.token,
        body: {
          statuses: [
            { key: 'todo', name: 'To do' },
            { key: 'in_progress', name: 'Doing' },
            { key: 'done', name: 'Done' },
          ],
        },
      }),
  },
  {
    route: 'GET /tasks',
    minRole: 'viewer',
    act: (t, f, as) => t.request('GET', `/api/v1/tasks?projectId=${f.project.id}`, { token: as.token }),
  },
  {
    route: 'POST /tasks',
    minRole: 'team_member',
    act: (t, f, as) => t.request('POST', '/api/v1/tasks', { token: as.token, body: { projectId: f.project.id, title: 'T' } }),
  },
  { route: 'GET /tasks/{id}', minRole: 'viewer', act: (t, f, as) => t.request('GET', `/api/v1/tasks/${f.task.id}`, { token: as.token }) },
  {
    route: 'PATCH /tasks/{id}',
    minRole: 'team_member',
    act: (t, f, as) => t.request('PATCH', `/api/v1/tasks/${f.task.id}`, { token: as.token, body: { title: `by ${as.name}` } }),
  },
  {
    route: 'DELETE /tasks/{id}',
    minRole: 'workspace_manager',
    act: async (t, f, as) => t.request('DELETE', `/api/v1/tasks/${(await freshTask(t, f)).id}`, { token: as.token }),
  },
  {
    route: 'POST /tasks/{id}/assignees',
    minRole: 'team_member',
    act: (t, f, as) => t.request('POST', `/api/v1/tasks/${f.task.id}/assignees`, { token: as.token, body: { userId: as.id } }),
  },
  {
    route: 'DELETE /tasks/{id}/assignees/{userId}',
    minRole: 'team_member',
    act: async (t, f, as) => {
      const task = await freshTask(t, f);
      await t.request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: f.owner.token, body: { userId: f.owner.id } });
      return t.request('DELETE', `/api/v1/tasks/${task.id}/assignees/${f.owner.id}`, { token: as.token });
    },
  },
  {
    route: 'POST /tasks/{id}/labels',
    minRole: 'team_member',
    act: async (t, f, as) =>
      t.request('POST', `/api/v1/tasks/${f.task.id}/labels`, {
        token: as.token,
        body: { labelId: (await createLabel(t, f.owner, f.workspace.id, `tl ${as.name}`)).id },
      }),
  },
  {
    route: 'DELETE /tasks/{id}/labels/{labelId}',
    minRole: 'team_member',
    act: async (t, f, as) => {
      const [label, task] = [await createLabel(t, f.owner, f.workspace.id, `rm ${as.name}`), await freshTask(t, f)];
      await t.request('POST', `/api/v1/tasks/${task.id}/labels`, { token: f.owner.token, body: { labelId: label.id } });
      return t.request('DELETE', `/api/v1/tasks/${task.id}/labels/${label.id}`, { token: as.token });
    },
  },
  {
    route: 'POST /tasks/{id}/claim',
    minRole: 'team_member',
    act: async (t, f, as) => t.request('POST', `/api/v1/tasks/${(await freshTask(t, f)).id}/claim`, { token: as.token }),
  },
  {
    route: 'POST /tasks/{id}/complete',
    minRole: 'team_member',
    act: async (t, f, as) => t.request('POST', `/api/v1/tasks/${(await freshTask(t, f)).id}/complete`, { token: as.token }),
  },
];

describeEachDialect('task domain: every role boundary', (app) => {
  for (const c of CASES) {
    it(`${c.route}: ${c.minRole} and above may, roles below get 403, outsiders 404`, async () => {
      const team = await teamProject(app());
      const minRank = ROLES_LOW_TO_HIGH.indexOf(c.minRole);
      for (const [rank, role] of ROLES_LOW_TO_HIGH.entries()) {
        const before = await snapshotWorkspace(app(), team.workspace.id);
        const res = await c.act(app(), team, team.members[role]);
        if (rank >= minRank) {
          expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
        } else {
          expectError(res, 403, 'PERMISSION_DENIED');
          expect(res.body.missingPermission).toEqual(expect.any(String));
          // The owner-made fresh target may add rows; the refused call itself must change nothing else.
          const after = await snapshotWorkspace(app(), team.workspace.id);
          expect(after.tasks.filter((task) => before.tasks.some((b) => b.id === task.id))).toEqual(before.tasks);
          expect(after.spaces.filter((s) => before.spaces.some((b) => b.id === s.id))).toEqual(before.spaces);
          expect(after.projects.filter((p) => before.projects.some((b) => b.id === p.id))).toEqual(before.projects);
          expect(after.labels.filter((l) => before.labels.some((b) => b.id === l.id))).toEqual(before.labels);
        }
      }
      const outsider = await c.act(app(), team, team.outsider);
      expect(outsider.status, JSON.stringify(outsider.body)).toBe(404);
    });
  }
});
