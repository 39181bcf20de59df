import { isPermission, type Permission } from '../authz/permissions.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { invalidField } from '../errors/validation.js';

const NAME_MAX_LENGTH = 100;

function invalidName(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: [{ field: 'name', message }] });
}

/** The name check the API promises word for word: required, a string, 1–100 characters. */
export function tokenName(value: unknown): string {
  if (value === undefined) throw invalidName('Token name is required.');
  if (typeof value !== 'string') throw invalidName('Token name must be a string.');
  const name = value.trim();
  if (name.length === 0) throw invalidName('Token name is required.');
  if (name.length > NAME_MAX_LENGTH) throw invalidName(`Token name must be at most ${NAME_MAX_LENGTH} characters.`);
  return name;
}

/** Catalogue names only; every unknown one is named in the 400. null keeps "all the owner's role allows". */
export function permissionList(names: readonly string[] | null): Permission[] | null {
  if (names === null) return null;
  const unknown = names.filter((name) => !isPermission(name));
  if (unknown.length > 0) {
    throw new AppError('UNKNOWN_PERMISSION', `Unknown permission${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      unknownPermissions: unknown,
    });
  }
  return [...new Set(names.filter(isPermission))];
}

/** Only projects in the owner's workspaces; the unknown ones are named in the 400. */
export async function visibleProjectIds(db: Db, userId: string, requested: readonly string[] | null): Promise<string[] | null> {
  if (requested === null) return null;
  const wanted = [...new Set(requested)];
  const rows = await db
    .selectFrom('projects')
    .innerJoin('workspace_members', 'workspace_members.workspace_id', 'projects.workspace_id')
    .select('projects.id')
    .where('workspace_members.user_id', '=', userId)
    .where('projects.id', 'in', wanted)
    .execute();
  const visible = new Set(rows.map((row) => row.id));
  const unknown = wanted.filter((id) => !visible.has(id));
  if (unknown.length > 0) {
    const message = `includes projects you cannot see: ${unknown.join(', ')}`;
    throw invalidField('projectIds', message, 'VALIDATION_FAILED', { unknownProjectIds: unknown });
  }
  return wanted;
}
