import { expect } from 'vitest';
import type { TestUser, TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';

export interface TaskFixture {
  spaceId: string;
  projectId: string;
  taskIds: string[];
}

async function created(t: TestApp, token: string, path: string, body: unknown): Promise<string> {
  const res = await t.request('POST', path, { token, body });
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
  return res.body.id as string;
}

/** A space, a project and `count` todo tasks, made over HTTP by the workspace's owner. */
export async function createProjectWithTasks(t: TestApp, owner: TestUser, workspace: TestWorkspace, count = 1): Promise<TaskFixture> {
  const spaceId = await created(t, owner.token, `/api/v1/workspaces/${workspace.id}/spaces`, { name: 'Engineering' });
  const projectId = await created(t, owner.token, '/api/v1/projects', { spaceId, name: 'Backlog' });
  const taskIds = [];
  for (let i = 0; i < count; i++) taskIds.push(await created(t, owner.token, '/api/v1/tasks', { projectId, title: `Task ${i + 1}` }));
  return { spaceId, projectId, taskIds };
}
