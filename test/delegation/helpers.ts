import { expect } from 'vitest';
import type { HttpResult, TestApp } from '../helpers/harness.js';
import { createSpace, createProject, createTask } from '../tasks/fixtures.js';
import { createToken, tokenOwner } from '../tokens/helpers.js';

export const DELEGATE = '/api/v1/me/delegate';

export interface Delegated {
  id: string;
  token: string;
  body: Record<string, any>;
}

/** POST /me/delegate with `parent` (any API token), expecting 201. */
export async function delegate(t: TestApp, parent: string, body: Record<string, unknown> = {}): Promise<Delegated> {
  const res = await t.request('POST', DELEGATE, { token: parent, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, token: res.body.token, body: res.body };
}

/** A pro workspace owner with two projects (a task in each) and a personal token, the root of the chains below. */
export async function delegationTenant(t: TestApp, rootBody: Record<string, unknown> = {}) {
  const { owner, workspace } = await tokenOwner(t);
  const space = await createSpace(t, owner, workspace.id);
  const project = await createProject(t, owner, space.id, 'Backend');
  const other = await createProject(t, owner, space.id, 'Frontend');
  const task = await createTask(t, owner, project.id, { title: 'The task' });
  const sibling = await createTask(t, owner, project.id, { title: 'Its sibling' });
  const elsewhere = await createTask(t, owner, other.id, { title: 'Elsewhere' });
  const root = await createToken(t, owner, rootBody);
  return { owner, workspace, space, project, other, task, sibling, elsewhere, root };
}

export const readTask = (t: TestApp, token: string, taskId: string): Promise<HttpResult> =>
  t.request('GET', `/api/v1/tasks/${taskId}`, { token });

export function auditOf(t: TestApp, targetId: string, action: string) {
  return t.ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', targetId).where('action', '=', action).execute();
}
