import { ROLES, roleRank as rank, type Role } from '../../lib/roles';

export { ROLE_LABELS, type Role } from '../../lib/roles';

/** What a member of `role` may do on this page, as the server's permissions allow it. */
export function accessTokenAbilities(role: Role | null) {
  const at = (min: Role) => role !== null && rank(role) >= rank(min);
  return {
    /** tokens:write */
    create: at('workspace_manager'),
    edit: at('workspace_manager'),
    /** tokens:manage */
    disable: at('administrator'),
    remove: at('administrator'),
    /** The scopes a new key may have: never above your own role. */
    scopes: role === null ? [] : ROLES.filter((r) => rank(r) <= rank(role)),
  };
}
