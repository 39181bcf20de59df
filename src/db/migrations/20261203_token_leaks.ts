import type { Kysely } from 'kysely';

/**
 * Issue 20, leak reports: every token kind says why it was revoked (`leaked`; null for a revocation by hand),
 * and workspace tokens, which until now could only be disabled or deleted, can be revoked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspace_access_tokens').addColumn('revoked_at', 'text').execute();
  for (const table of ['personal_access_tokens', 'workspace_access_tokens', 'agent_tokens']) {
    await db.schema.alterTable(table).addColumn('revoked_reason', 'text').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['personal_access_tokens', 'workspace_access_tokens', 'agent_tokens']) {
    await db.schema.alterTable(table).dropColumn('revoked_reason').execute();
  }
  await db.schema.alterTable('workspace_access_tokens').dropColumn('revoked_at').execute();
}
