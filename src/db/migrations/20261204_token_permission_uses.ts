import type { Kysely } from 'kysely';

/**
 * Issue 20, least privilege measured: how often each token used each permission, per project and UTC day. Rows are
 * added to in batches (the primary key is what a flush upserts on), never per request.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('token_permission_uses')
    .addColumn('token_kind', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('permission', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('token_permission_uses_pkey', ['token_kind', 'token_id', 'permission', 'project_id', 'day'])
    .execute();
  await db.schema.createIndex('token_permission_uses_day_idx').on('token_permission_uses').columns(['day']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('token_permission_uses').execute();
}
