import { authorizeById, type ResourceKind } from '../authz/authorize-by-id.js';
import { authorize, type WorkspaceAccess } from '../authz/authorize.js';
import type { Permission } from '../authz/permissions.js';
import type { Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import { cachedRead } from '../db/read-cache.js';
import { invalidField } from '../errors/validation.js';
import { PROJECT } from '../projects/projects.service.js';
import type { TaskRow } from './tables.js';
import { taskIfAny } from './task-views.js';

/** `/tasks/{id}` for authorizeById: a task lives in its workspace and its project. */
const TASK: ResourceKind<TaskRow> = {
  noun: 'Task',
  find: taskIfAny,
  locate: (task) => ({ workspaceId: task.workspace_id, projectId: task.project_id }),
};

/** Finds a task and authorises the caller in its workspace and project (outsiders: 404). */
export async function authorizeTask(
  db: Db,
  principal: Principal,
  taskId: string,
  permission: Permission,
): Promise<{ task: TaskRow; access: WorkspaceAccess }> {
  const { row: task, access } = await authorizeById(db, principal, TASK, taskId, permission);
  return { task, access };
}

/** Authorises against the project a new task goes into. */
export async function authorizeInProject(
  db: Db,
  principal: Principal,
  projectId: string,
  permission: Permission,
): Promise<WorkspaceAccess> {
  return (await authorizeById(db, principal, PROJECT, projectId, permission)).access;
}

// A page of tasks is polled: where its project lives is a cached point read (ADR 0001, ADR 0008).
const projectLocation = cachedRead((db: Db, id: string) => db.selectFrom('projects').select(['id', 'workspace_id']).where('id', '=', id));

/** The project of a task list, for authorizeById. */
const LISTED_PROJECT: ResourceKind<{ readonly id: string; readonly workspace_id: string }> = {
  noun: 'Project',
  find: async (db, id) => (await projectLocation(db, id))[0],
  locate: (project) => ({ workspaceId: project.workspace_id, projectId: project.id }),
};

/** A task list is of one project (`projectId`) or of a whole workspace (`workspaceId`): exactly one. */
export async function authorizeTaskList(
  db: Db,
  principal: Principal,
  query: { projectId?: string; workspaceId?: string },
): Promise<WorkspaceAccess> {
  const { projectId, workspaceId } = query;
  if (projectId !== undefined && workspaceId === undefined) {
    return (await authorizeById(db, principal, LISTED_PROJECT, projectId, 'tasks:read')).access;
  }
  if (workspaceId !== undefined && projectId === undefined) return authorize(db, principal, workspaceId, 'tasks:read');
  throw invalidField('projectId', 'or workspaceId must be given, not both');
}

/** The version an `If-Match` header names (`3`, `"3"` or `W/"3"`); `*` and no header guard nothing. */
export function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  const digits = ifMatch?.match(/\d+/)?.[0];
  return digits === undefined ? undefined : Number(digits);
}

export function etagOf(version: number): string {
  return `"${version}"`;
}
