import { authorize, type WorkspaceAccess } from '../authz/authorize.js';
import type { Permission } from '../authz/permissions.js';
import type { Actor, Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';

/** Where a resource addressed by its own id lives: what authorisation needs to know about it. */
export interface ResourceLocation {
  workspaceId: string;
  /** Set for projects and tasks: a project-scoped token may reach only its own projects. */
  projectId?: string;
}

/**
 * `authorize()` for `/spaces/{id}`, `/tasks/{id}`…: a caller with no standing in the resource's
 * workspace gets the very answer a missing id gets, so ids leak nothing across workspaces.
 */
export async function authorizeResource(
  db: Db,
  principal: Principal,
  location: ResourceLocation,
  permission: Permission,
  what: string,
): Promise<WorkspaceAccess> {
  try {
    return await authorize(db, principal, location.workspaceId, permission, location.projectId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw notFound(what);
    throw err;
  }
}

/** A project-scoped token acts inside its projects only: workspace-wide changes are refused. */
export function requireWholeWorkspace(access: WorkspaceAccess, action: string): void {
  if (access.projectIds !== null) {
    throw new AppError('PROJECT_OUT_OF_SCOPE', `This token is limited to some projects, so it cannot ${action}`);
  }
}

/** The `created_by_*` columns for a new row. */
export function createdBy(actor: Actor) {
  return { created_by_type: actor.type, created_by_id: actor.id };
}

export function actorFrom(type: string, id: string): Actor {
  return { type: type === 'agent' || type === 'workspace_token' ? type : 'user', id };
}
