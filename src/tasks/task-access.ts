import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Permission } from '../authz/permissions.js';
import type { Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { getProject } from '../projects/projects.service.js';
import { authorizeResource } from './access.js';
import type { TaskRow } from './tables.js';
import { findTask } from './task-views.js';

/** Finds a task and authorises the caller in its workspace and project (outsiders: 404). */
export async function authorizeTask(db: Db, principal: Principal, taskId: string, permission: Permission): Promise<{ task: TaskRow; access: WorkspaceAccess }> {
  const task = await findTask(db, taskId);
  const access = await authorizeResource(db, principal, { workspaceId: task.workspace_id, projectId: task.project_id }, permission, 'Task');
  return { task, access };
}

/** Authorises against the project a new task goes into. */
export async function authorizeInProject(db: Db, principal: Principal, projectId: string, permission: Permission): Promise<WorkspaceAccess> {
  const project = await getProject(db, projectId);
  return authorizeResource(db, principal, { workspaceId: project.workspace_id, projectId }, permission, 'Project');
}

/** A task list is of one project (`projectId`) or of a whole workspace (`workspaceId`): exactly one. */
export async function authorizeTaskList(db: Db, principal: Principal, query: { projectId?: string; workspaceId?: string }): Promise<WorkspaceAccess> {
  const { projectId, workspaceId } = query;
  if (projectId !== undefined && workspaceId === undefined) return authorizeInProject(db, principal, projectId, 'tasks:read');
  if (workspaceId !== undefined && projectId === undefined) return authorizeResource(db, principal, { workspaceId }, 'tasks:read', 'Workspace');
  throw new AppError('VALIDATION_FAILED', 'Give either projectId or workspaceId', {
    fields: [{ field: 'projectId', message: 'give either projectId or workspaceId' }],
  });
}

/** The version an `If-Match` header names (`3`, `"3"` or `W/"3"`); `*` and no header guard nothing. */
export function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  const digits = ifMatch?.match(/\d+/)?.[0];
  return digits === undefined ? undefined : Number(digits);
}

export function etagOf(version: number): string {
  return `"${version}"`;
}
