import { expect, it } from 'vitest';
import { addMember, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { newId } from '../../src/lib/ids.js';
import { createAgent, createPersonalToken, createProject, createTask, ok, ownProject } from '../tasks/fixtures.js';

const explain = (workspaceId: string, projectId?: string) =>
  `/api/v1/me/permissions?workspaceId=${workspaceId}${projectId ? `&projectId=${projectId}` : ''}`;

function verdictOf(body: any, name: string) {
  return body.permissions.find((p: { name: string }) => p.name === name);
}

function layerOf(body: any, layer: string) {
  return body.layers.find((l: { layer: string }) => l.layer === layer);
}

describeEachDialect('GET /me/permissions: the caller’s effective permissions, layer by layer', (app) => {
  it('shows a personal token narrowed to tasks:read on one project as the intersection of its layers', async () => {
    const { owner, workspace, space, project } = await ownProject(app());
    const other = await createProject(app(), owner, space.id, 'Frontend');
    const token = await createPersonalToken(app(), owner, { permissions: ['tasks:read'], projectIds: [project.id] });

    const here = ok(await app().request('GET', explain(workspace.id, project.id), { token }));
    expect(here).toMatchObject({
      workspaceId: workspace.id,
      projectId: project.id,
      credential: 'personal_token',
      effective: ['tasks:read'],
    });
    expect(verdictOf(here, 'tasks:read')).toEqual({ name: 'tasks:read', effective: true, refusedBy: null });
    expect(verdictOf(here, 'tasks:create')).toEqual({ name: 'tasks:create', effective: false, refusedBy: 'token_permissions' });
    expect(verdictOf(here, 'workspace:write')).toMatchObject({ effective: false, refusedBy: 'project_restriction' });
    const catalogue = ok(await app().request('GET', '/api/v1/permissions')).categories.flatMap((g: any) => g.permissions);
    expect(here.permissions.map((p: { name: string }) => p.name)).toEqual(catalogue.map((p: { name: string }) => p.name));
    expect(here.layers.map((l: { layer: string }) => l.layer)).toEqual([
      'plan',
      'project_restriction',
      'role',
      'token_permissions',
      'delegation_scope',
      'agent_matrix',
    ]);
    expect(layerOf(here, 'role')).toMatchObject({ applies: true, role: 'owner' });
    expect(layerOf(here, 'role').allows).toContain('workspace:delete');
    expect(layerOf(here, 'token_permissions')).toMatchObject({ applies: true, allows: ['tasks:read'] });
    expect(layerOf(here, 'project_restriction')).toMatchObject({ applies: true, projectIds: [project.id] });
    expect(layerOf(here, 'plan')).toMatchObject({ applies: true, plan: 'pro' });
    expect(layerOf(here, 'agent_matrix')).toMatchObject({ applies: false });
    expect(layerOf(here, 'delegation_scope')).toMatchObject({ applies: false });

    // The other project: nothing, refused by the project restriction, as a request there is.
    const there = ok(await app().request('GET', explain(workspace.id, other.id), { token }));
    expect(there.effective).toEqual([]);
    expect(verdictOf(there, 'tasks:read').refusedBy).toBe('project_restriction');
    const task = await createTask(app(), owner, other.id);
    const read = await app().request('GET', `/api/v1/tasks/${task.id}`, { token });
    expectError(read, 403, 'PROJECT_OUT_OF_SCOPE');
    expect(read.body.refusedBy).toBe('project_restriction');

    // And the explanation agrees with authorisation in the token's own project.
    const create = await app().request('POST', '/api/v1/tasks', { token, body: { projectId: project.id, title: 'No' } });
    expect(create.body).toMatchObject({ refusedBy: verdictOf(here, 'tasks:create').refusedBy, missingPermission: 'tasks:create' });
  });

  it('explains a session by its role alone, and an agent by the agent matrix', async () => {
    const { owner, workspace } = await ownProject(app());
    const viewer = await createUser(app());
    await addMember(app(), owner, workspace, viewer, 'viewer');
    const session = ok(await app().request('GET', explain(workspace.id), { token: viewer.token }));
    expect(session).toMatchObject({ credential: 'session', projectId: null });
    expect(verdictOf(session, 'tasks:create')).toMatchObject({ effective: false, refusedBy: 'role' });
    expect(verdictOf(session, 'tasks:read').effective).toBe(true);
    expect(layerOf(session, 'plan').applies).toBe(false);
    expect(layerOf(session, 'token_permissions').applies).toBe(false);

    const agent = await createAgent(app(), owner, workspace.id);
    const byAgent = ok(await app().request('GET', explain(workspace.id), { token: agent.token }));
    expect(byAgent.credential).toBe('agent');
    expect(verdictOf(byAgent, 'tasks:write').effective).toBe(true);
    expect(verdictOf(byAgent, 'tasks:create')).toMatchObject({ effective: false, refusedBy: 'agent_matrix' });
  });

  it('answers a token in a free workspace with every permission refused by the plan, not a 403', async () => {
    const { owner } = await ownProject(app());
    const free = await createWorkspace(app(), owner, { plan: 'free' });
    const token = await createPersonalToken(app(), owner);
    const body = ok(await app().request('GET', explain(free.id), { token }));
    expect(body.effective).toEqual([]);
    expect(new Set(body.permissions.map((p: { refusedBy: string }) => p.refusedBy))).toEqual(new Set(['plan']));
  });

  it('gives an outsider the very 404 a missing workspace id gets', async () => {
    const { workspace } = await ownProject(app());
    const outsider = await createUser(app());
    const refused = await app().request('GET', explain(workspace.id), { token: outsider.token });
    const missing = await app().request('GET', explain(newId('workspace')), { token: outsider.token });
    expectError(refused, 404, 'NOT_FOUND');
    expectError(missing, 404, 'NOT_FOUND');
    expect({ ...refused.body, requestId: null }).toEqual({ ...missing.body, requestId: null });
  });
});
