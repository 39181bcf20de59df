import type { Kysely } from 'kysely';

// A check value of the key webhook secrets are encrypted with (an HMAC under the key, never the key),
// so a server started with another key refuses to run instead of failing every delivery.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_key_check')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('check_value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_key_check').execute();
}
