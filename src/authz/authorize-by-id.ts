import type { Db } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import { authorize, type WorkspaceAccess } from './authorize.js';
import type { Permission } from './permissions.js';
import type { Principal } from './principal.js';

/** Where a resource addressed by its own id lives: what authorisation needs to know about it. */
interface ResourceLocation {
  workspaceId: string;
  /** Set for projects and tasks: a project-scoped token may reach only its own projects. */
  projectId?: string;
}

/** How to find one kind of resource by its id, and where a found one lives. */
export interface ResourceKind<Row> {
  /** What the 404 calls it: `${noun} not found`. */
  noun: string;
  /** The row, or undefined when there is none. */
  find(db: Db, id: string): Promise<Row | undefined>;
  locate(row: Row): ResourceLocation;
}

export interface AuthorizedResource<Row> {
  access: WorkspaceAccess;
  row: Row;
}

/**
 * Authorises an action on a resource addressed by its own id (`/tasks/{id}`, `/webhooks/{id}`…) in the
 * workspace (and project) it lives in. A missing id and a caller with no standing in that workspace get
 * the one same `notFound(noun)`, so ids reveal nothing across workspaces; a member without the
 * permission gets `authorize()`'s 403 naming it.
 */
export async function authorizeById<Row>(
  db: Db,
  principal: Principal,
  kind: ResourceKind<Row>,
  id: string,
  permission: Permission,
): Promise<AuthorizedResource<Row>> {
  const row = await kind.find(db, id);
  if (row === undefined) throw notFound(kind.noun);
  const { workspaceId, projectId } = kind.locate(row);
  let access: WorkspaceAccess;
  try {
    access = await authorize(db, principal, workspaceId, permission, projectId);
  } catch (err) {
    // authorize()'s only 404 is "no standing in this workspace": told here as the missing id is.
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw notFound(kind.noun);
    throw err;
  }
  requireDelegatedTask(principal, id, permission);
  return { access, row };
}

/** A delegated token limited to one task reaches no other task (task ids are `tsk_…`, lib/ids.ts). */
function requireDelegatedTask(principal: Principal, id: string, permission: Permission): void {
  const taskId = principal.kind === 'session' ? null : (principal.delegation?.taskId ?? null);
  if (taskId === null || !id.startsWith('tsk_') || id === taskId) return;
  throw new AppError('DELEGATION_SCOPE', 'This delegated token is limited to another task', {
    missingPermission: permission,
    refusedBy: 'delegation_scope',
    taskId: id,
  });
}
