import type { Transaction } from 'kysely';
import type { ResourceKind } from '../authz/authorize-by-id.js';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { requireDeleted } from '../db/deletion.js';
import { AppError, notFound } from '../errors/app-error.js';
import { recordEvent, type NewEvent } from '../events/events.service.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { actorFrom, createdBy } from '../tasks/access.js';
import { byName, fetchKeysetPage } from '../http/pagination.js';
import { recordProjectTasksDeleted } from '../tasks/task-events.js';
import type { ProjectRow } from './tables.js';

type Queryable = Db | Transaction<Database>;

export function toProjectView(row: ProjectRow) {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    spaceId: row.space_id,
    name: row.name,
    description: row.description,
    archived: row.archived_at !== null,
    archivedAt: row.archived_at,
    createdBy: actorFrom(row.created_by_type, row.created_by_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type ProjectView = ReturnType<typeof toProjectView>;

const BY_NAME = byName('projects');

export interface ProjectListOptions {
  spaceId?: string;
  includeArchived?: boolean;
  limit?: number;
  cursor?: string;
}

/** The workspace's projects by name; a project-scoped token sees only its own. */
export async function listProjects(db: Db, access: WorkspaceAccess, opts: ProjectListOptions) {
  const limit = opts.limit ?? 50;
  let query = db.selectFrom('projects').selectAll().where('workspace_id', '=', access.workspaceId);
  if (opts.spaceId) query = query.where('space_id', '=', opts.spaceId);
  if (!opts.includeArchived) query = query.where('archived_at', 'is', null);
  if (access.projectIds) query = query.where('id', 'in', [...access.projectIds, '']);
  const { items, nextCursor } = await fetchKeysetPage(query, BY_NAME, { limit, cursor: opts.cursor }, (row) => row.name);
  return { items: items.map(toProjectView), nextCursor };
}

async function findProject(db: Queryable, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

async function getProject(db: Queryable, id: string): Promise<ProjectRow> {
  const row = await findProject(db, id);
  if (!row) throw notFound('Project');
  return row;
}

/** `/projects/{id}` for authorizeById: a project-scoped token reaches only its own projects. */
export const PROJECT: ResourceKind<ProjectRow> = {
  noun: 'Project',
  find: findProject,
  locate: (project) => ({ workspaceId: project.workspace_id, projectId: project.id }),
};

/** Task changes in an archived project are refused until it is restored. */
export async function requireActiveProject(db: Queryable, projectId: string): Promise<ProjectRow> {
  const project = await getProject(db, projectId);
  if (project.archived_at !== null) {
    throw new AppError('PROJECT_ARCHIVED', 'This project is archived: restore it before changing its tasks', { projectId });
  }
  return project;
}

// A project may only sit in a space of its own workspace.
async function requireSpaceIn(db: Queryable, workspaceId: string, spaceId: string): Promise<void> {
  const space = await db
    .selectFrom('spaces')
    .select('id')
    .where('id', '=', spaceId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!space) throw notFound('Space');
}

function projectEvent(access: WorkspaceAccess, type: string, project: ProjectView): NewEvent {
  return {
    workspaceId: access.workspaceId,
    type,
    actor: access.actor,
    resourceType: 'project',
    resourceId: project.id,
    projectId: project.id,
    data: project,
  };
}

export async function createProject(
  db: Db,
  access: WorkspaceAccess,
  input: { spaceId: string; name: string; description?: string },
): Promise<ProjectView> {
  const now = nowIso();
  const row: ProjectRow = {
    id: newId('project'),
    workspace_id: access.workspaceId,
    space_id: input.spaceId,
    name: input.name.trim(),
    description: input.description ?? '',
    archived_at: null,
    ...createdBy(access.actor),
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await requireSpaceIn(trx, access.workspaceId, input.spaceId);
    await trx.insertInto('projects').values(row).execute();
    await recordEvent(trx, projectEvent(access, 'project.created', toProjectView(row)));
  });
  return toProjectView(row);
}

export interface ProjectChanges {
  name?: string;
  description?: string;
  archived?: boolean;
  spaceId?: string;
}

function eventTypeFor(before: ProjectRow, changes: ProjectChanges): string {
  const wasArchived = before.archived_at !== null;
  if (changes.archived === undefined || changes.archived === wasArchived) return 'project.updated';
  return changes.archived ? 'project.archived' : 'project.unarchived';
}

export async function updateProject(db: Db, access: WorkspaceAccess, id: string, changes: ProjectChanges): Promise<ProjectView> {
  return db.transaction().execute(async (trx) => {
    const before = await getProject(trx, id);
    if (changes.spaceId !== undefined) await requireSpaceIn(trx, access.workspaceId, changes.spaceId);
    const now = nowIso();
    const archivedAt = changes.archived === undefined ? before.archived_at : changes.archived ? (before.archived_at ?? now) : null;
    await trx
      .updateTable('projects')
      .set({
        name: changes.name?.trim(),
        description: changes.description,
        space_id: changes.spaceId,
        archived_at: archivedAt,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    const view = toProjectView(await getProject(trx, id));
    await recordEvent(trx, projectEvent(access, eventTypeFor(before, changes), view));
    return view;
  });
}

/** Deletes the project and every task in it, recording task.deleted for each task, then project.deleted. */
export async function deleteProject(db: Db, access: WorkspaceAccess, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const project = await getProject(trx, id);
    await recordProjectTasksDeleted(trx, access, id);
    requireDeleted(await trx.deleteFrom('projects').where('id', '=', id).executeTakeFirst(), 'Project');
    await recordEvent(trx, projectEvent(access, 'project.deleted', toProjectView(project)));
  });
}
