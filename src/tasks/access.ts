import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Actor } from '../authz/principal.js';
import { AppError } from '../errors/app-error.js';

/** A project-scoped token acts inside its projects only: workspace-wide changes are refused. */
export function requireWholeWorkspace(access: WorkspaceAccess, action: string): void {
  if (access.projectIds !== null) {
    throw new AppError('PROJECT_OUT_OF_SCOPE', `This token is limited to some projects, so it cannot ${action}`, {
      refusedBy: 'project_restriction',
    });
  }
}

/** The `created_by_*` columns for a new row. */
export function createdBy(actor: Actor) {
  return { created_by_type: actor.type, created_by_id: actor.id };
}

export function actorFrom(type: string, id: string): Actor {
  return { type: type === 'agent' || type === 'workspace_token' ? type : 'user', id };
}
