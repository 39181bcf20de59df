import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

// Spaces → projects → tasks, with labels, polymorphic assignees and per-workspace statuses.
// Timestamps are ISO-8601 text and booleans 0/1 integers on both dialects, as in 0001.

function withActorColumns<T extends string>(table: CreateTableBuilder<T, never>) {
  return table.addColumn('created_by_type', 'text', (c) => c.notNull()).addColumn('created_by_id', 'text', (c) => c.notNull());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withActorColumns(
    db.schema
      .createTable('spaces')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull()),
  )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spaces_workspace_name_idx').on('spaces').columns(['workspace_id', 'name', 'id']).execute();

  await withActorColumns(
    db.schema
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('space_id', 'text', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('archived_at', 'text'),
  )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_workspace_name_idx').on('projects').columns(['workspace_id', 'name', 'id']).execute();
  await db.schema.createIndex('projects_space_name_idx').on('projects').columns(['space_id', 'name', 'id']).execute();

  await withActorColumns(
    db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addColumn('due_at', 'text')
      .addColumn('position', 'double precision', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('claimed_by_type', 'text')
      .addColumn('claimed_by_id', 'text')
      .addColumn('claimed_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('result_note', 'text'),
  )
    .addColumn('updated_by_type', 'text', (c) => c.notNull())
    .addColumn('updated_by_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One index per sort a project list offers (keyset: sort value, then id), plus status with the default sort.
  for (const column of ['position', 'created_at', 'updated_at', 'due_at', 'priority']) {
    await db.schema.createIndex(`tasks_project_${column}_idx`).on('tasks').columns(['project_id', column, 'id']).execute();
  }
  await db.schema.createIndex('tasks_project_status_idx').on('tasks').columns(['project_id', 'status', 'position', 'id']).execute();
  // Workspace-wide lists (an agent's "assigned to me" across projects): the default sort and newest first.
  await db.schema.createIndex('tasks_workspace_position_idx').on('tasks').columns(['workspace_id', 'position', 'id']).execute();
  await db.schema.createIndex('tasks_workspace_created_idx').on('tasks').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('task_assignees')
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('assignee_type', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_assignees_pk', ['task_id', 'assignee_type', 'assignee_id'])
    .execute();
  await db.schema.createIndex('task_assignees_assignee_idx').on('task_assignees').columns(['assignee_id', 'task_id']).execute();

  await withActorColumns(
    db.schema
      .createTable('labels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('color', 'text', (c) => c.notNull()),
  )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Label names are unique per workspace regardless of case ("Bug" and "bug" are the same label).
  await db.schema.createIndex('labels_workspace_name_uq').on('labels').unique().expression(sql`workspace_id, lower(name)`).execute();

  await db.schema
    .createTable('task_labels')
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('label_id', 'text', (c) => c.notNull().references('labels.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_labels_pk', ['task_id', 'label_id'])
    .execute();
  await db.schema.createIndex('task_labels_label_idx').on('task_labels').columns(['label_id', 'task_id']).execute();

  await db.schema
    .createTable('task_statuses')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_statuses_pk', ['workspace_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['task_statuses', 'task_labels', 'labels', 'task_assignees', 'tasks', 'projects', 'spaces']) {
    await db.schema.dropTable(table).execute();
  }
}
