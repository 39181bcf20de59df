import type { Kysely } from 'kysely';

const TABLES = ['personal_access_tokens', 'workspace_access_tokens', 'agents'] as const;

/** Issue 20: an optional IP allowlist (JSON text of CIDRs; null: any address) per token, and per agent for its tokens. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await db.schema.alterTable(table).addColumn('allowed_ips', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await db.schema.alterTable(table).dropColumn('allowed_ips').execute();
}
