import { sql, type Kysely } from 'kysely';

// What the default token lifetime (TASKGATE_TOKEN_MAX_LIFETIME, 365 days) gives tokens that were
// issued before every kind had to expire.
const DEFAULT_LIFETIME_MS = 365 * 86_400_000;

/**
 * Issue 14: invitations replace adding members directly; workspace credentials remember why they were
 * disabled (their creator left or was blocked) and agents can be disabled too; agent tokens expire, and
 * workspace tokens that never expired get the default lifetime from now.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspace_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('invited_by_type', 'text', (c) => c.notNull())
    .addColumn('invited_by_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text')
    .execute();
  await db.schema.createIndex('workspace_invitations_workspace_idx').on('workspace_invitations').columns(['workspace_id', 'id']).execute();
  await db.schema.createIndex('workspace_invitations_email_idx').on('workspace_invitations').columns(['email', 'status']).execute();
  // At most one pending invitation per address and workspace: inviting again refreshes it.
  await db.schema
    .createIndex('workspace_invitations_pending_idx')
    .on('workspace_invitations')
    .columns(['workspace_id', 'email'])
    .unique()
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();

  await db.schema.alterTable('workspace_access_tokens').addColumn('disabled_reason', 'text').execute();
  await db.schema.alterTable('agents').addColumn('disabled_at', 'text').execute();
  await db.schema.alterTable('agents').addColumn('disabled_reason', 'text').execute();
  await db.schema.alterTable('agent_tokens').addColumn('expires_at', 'text').execute();
  await db.schema.createIndex('workspace_access_tokens_creator_idx').on('workspace_access_tokens').columns(['created_by']).execute();
  await db.schema.createIndex('agents_creator_idx').on('agents').columns(['created_by_id']).execute();

  const expiresAt = new Date(Date.now() + DEFAULT_LIFETIME_MS).toISOString();
  await db.updateTable('workspace_access_tokens').set({ expires_at: expiresAt }).where('expires_at', 'is', null).execute();
  await db.updateTable('agent_tokens').set({ expires_at: expiresAt }).where('expires_at', 'is', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('agents_creator_idx').execute();
  await db.schema.dropIndex('workspace_access_tokens_creator_idx').execute();
  await db.schema.alterTable('agent_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('agents').dropColumn('disabled_reason').execute();
  await db.schema.alterTable('agents').dropColumn('disabled_at').execute();
  await db.schema.alterTable('workspace_access_tokens').dropColumn('disabled_reason').execute();
  await db.schema.dropTable('workspace_invitations').execute();
}
