import type { Db } from '../db/database.js';
import { workspaceStanding, type WorkspaceStanding } from './authorize.js';
import {
  basisOf,
  DECIDED_LAYERS,
  decide,
  layerAllows,
  outsideDelegation,
  outsideProjects,
  type AccessBasis,
  type DecidedLayer,
} from './decide.js';
import { PERMISSION_NAMES } from './permissions.js';
import type { Principal } from './principal.js';

/** What one layer is made of, beside what it allows. */
function layerFacts(layer: DecidedLayer, standing: WorkspaceStanding, basis: AccessBasis) {
  switch (layer) {
    case 'plan':
      return { plan: standing.plan };
    case 'role':
      return basis.role === null ? {} : { role: basis.role };
    case 'project_restriction':
      return { projectIds: standing.projectIds ? [...standing.projectIds] : null };
    case 'delegation_scope': {
      const scope = standing.principal.kind === 'session' ? undefined : standing.principal.delegation;
      return scope ? { projectIds: scope.projectIds ? [...scope.projectIds] : null, taskId: scope.taskId, depth: scope.depth } : {};
    }
    default:
      return {};
  }
}

/**
 * Explains the caller's effective permissions in a workspace (and project) as the intersection of the layers
 * authorize() consults, deciding each permission with the very function authorize() uses. 404 as authorize's
 * when the caller has no standing there.
 */
export async function explainPermissions(db: Db, principal: Principal, workspaceId: string, projectId?: string) {
  const standing = await workspaceStanding(db, principal, workspaceId);
  const basis = basisOf(standing);
  const permissions = PERMISSION_NAMES.map((name) => {
    const refusedBy = decide(basis, name, projectId);
    return { name, effective: refusedBy === null, refusedBy };
  });
  const layers = DECIDED_LAYERS.map((layer) => {
    const { applies, allows } = layerAllows(basis, layer, PERMISSION_NAMES);
    // A project the token does not reach lets nothing through.
    const outside =
      (layer === 'project_restriction' && outsideProjects(basis, projectId)) ||
      (layer === 'delegation_scope' && outsideDelegation(basis, projectId));
    const reached = outside ? [] : allows;
    return { layer, applies, allows: reached, ...layerFacts(layer, standing, basis) };
  });
  return {
    workspaceId,
    projectId: projectId ?? null,
    credential: principal.kind,
    effective: permissions.filter((p) => p.effective).map((p) => p.name),
    permissions,
    layers,
  };
}
