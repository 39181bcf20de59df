import type { Kysely } from 'kysely';

/**
 * Issue 20, delegation: tokens (`tgd_`) a token mints for a sub-agent, each a subset of its parent. A row keeps the
 * hash of the secret its parent was used with (`parent_token_hash`), so resolving it resolves the parent through
 * that kind's own policy (a rotated-away parent secret ends the child as it ends the parent).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('delegated_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('display_prefix', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.notNull())
    .addColumn('parent_token_hash', 'text', (c) => c.notNull())
    .addColumn('root_kind', 'text', (c) => c.notNull())
    .addColumn('root_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('permissions', 'text')
    .addColumn('project_ids', 'text')
    .addColumn('task_id', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('last_used_ip', 'text')
    .execute();
  await db.schema.createIndex('delegated_tokens_root_idx').on('delegated_tokens').columns(['root_kind', 'root_id']).execute();
  await db.schema.createIndex('delegated_tokens_parent_idx').on('delegated_tokens').columns(['parent_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delegated_tokens').execute();
}
