import { expect } from 'vitest';
import type { Role } from '../../src/authz/roles.js';
import { createTeam, createUser, createWorkspace, type TestUser, type TestWorkspace } from '../helpers/factories.js';
import type { HttpResult, TestApp } from '../helpers/harness.js';

/** Asserts a status with the body in the failure message, and returns the body. */
export function ok<T = any>(res: HttpResult<T>, status = 200): T {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

export async function createSpace(t: TestApp, by: TestUser, workspaceId: string, name = 'Engineering') {
  return ok(await t.request('POST', `/api/v1/workspaces/${workspaceId}/spaces`, { token: by.token, body: { name } }), 201);
}

export async function createProject(t: TestApp, by: TestUser, spaceId: string, name = 'Backend') {
  return ok(await t.request('POST', '/api/v1/projects', { token: by.token, body: { spaceId, name } }), 201);
}

export async function createTask(t: TestApp, by: TestUser, projectId: string, fields: Record<string, unknown> = {}) {
  return ok(await t.request('POST', '/api/v1/tasks', { token: by.token, body: { projectId, title: 'A task', ...fields } }), 201);
}

export async function createLabel(t: TestApp, by: TestUser, workspaceId: string, name = 'bug') {
  return ok(await t.request('POST', `/api/v1/workspaces/${workspaceId}/labels`, { token: by.token, body: { name } }), 201);
}

export interface ProjectFixture {
  owner: TestUser;
  workspace: TestWorkspace;
  space: any;
  project: any;
}

/** A fresh tenant: an owner, a workspace, a space and a project. */
export async function ownProject(t: TestApp): Promise<ProjectFixture> {
  const owner = await createUser(t, { name: 'Owner' });
  const workspace = await createWorkspace(t, owner);
  const space = await createSpace(t, owner, workspace.id);
  const project = await createProject(t, owner, space.id);
  return { owner, workspace, space, project };
}

/** A workspace with one member per role, a space, a project and a task. */
export async function teamProject(t: TestApp) {
  const team = await createTeam(t);
  const owner = team.members.owner;
  const space = await createSpace(t, owner, team.workspace.id);
  const project = await createProject(t, owner, space.id);
  const task = await createTask(t, owner, project.id);
  return { ...team, owner, space, project, task };
}

export const ROLES_LOW_TO_HIGH: readonly Role[] = ['viewer', 'team_member', 'workspace_manager', 'administrator', 'owner'];

/** How many rows each task-domain table and the event log hold for one workspace: "nothing changed" checks compare these. */
export async function snapshotWorkspace(t: TestApp, workspaceId: string) {
  const db = t.ctx.db;
  const count = async (table: 'spaces' | 'projects' | 'tasks' | 'labels' | 'events' | 'task_statuses') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const tasks = await db
    .selectFrom('tasks')
    .select(['id', 'version', 'title', 'status', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  const links = async (table: 'task_assignees' | 'task_labels') => {
    const row = await db
      .selectFrom(table)
      .innerJoin('tasks', 'tasks.id', `${table}.task_id`)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tasks.workspace_id', '=', workspaceId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const projects = await db
    .selectFrom('projects')
    .select(['id', 'name', 'archived_at', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  const spaces = await db
    .selectFrom('spaces')
    .select(['id', 'name', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  const labels = await db
    .selectFrom('labels')
    .select(['id', 'name', 'color', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  return {
    counts: {
      spaces: await count('spaces'),
      projects: await count('projects'),
      tasks: await count('tasks'),
      labels: await count('labels'),
      events: await count('events'),
      statuses: await count('task_statuses'),
      assignees: await links('task_assignees'),
      taskLabels: await links('task_labels'),
    },
    tasks,
    projects,
    spaces,
    labels,
  };
}

/** An agent registered over HTTP, with its token (tga_…). */
export async function createAgent(
  t: TestApp,
  by: TestUser,
  workspaceId: string,
  name = 'Build bot',
): Promise<{ id: string; name: string; token: string }> {
  const body = ok(await t.request('POST', `/api/v1/workspaces/${workspaceId}/agents`, { token: by.token, body: { name } }), 201);
  return { id: body.agent.id, name: body.agent.name, token: body.token };
}

/** A workspace access token (tgw_…, the team API key) with a role as its scope. */
export async function createWorkspaceToken(t: TestApp, by: TestUser, workspaceId: string, scope: Role): Promise<string> {
  const body = ok(
    await t.request('POST', `/api/v1/workspaces/${workspaceId}/access-tokens`, { token: by.token, body: { label: `${scope} key`, scope } }),
    201,
  );
  return body.token;
}

/** A personal access token (tgp_…), optionally limited to some projects or permissions. */
export async function createPersonalToken(
  t: TestApp,
  by: TestUser,
  limits: { projectIds?: string[]; permissions?: string[] } = {},
): Promise<string> {
  return ok(await t.request('POST', '/api/v1/tokens', { token: by.token, body: { name: 'task tests', ...limits } }), 201).token;
}

/** A workspace of its own with a project, one task and one label: the target of input tests. */
export async function tenant(t: TestApp) {
  const f = await ownProject(t);
  const task = await createTask(t, f.owner, f.project.id);
  const label = await createLabel(t, f.owner, f.workspace.id);
  return { ...f, task, label };
}

export type Tenant = Awaited<ReturnType<typeof tenant>>;
