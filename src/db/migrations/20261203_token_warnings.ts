import type { Kysely } from 'kysely';

/**
 * Issue 20: which expiry and staleness warnings were recorded for which token. The primary key is the claim
 * that lets several processes run the warning job at once and still record each warning once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('token_warnings')
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('warning', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('token_warnings_pkey', ['token_id', 'warning'])
    .execute();
  await db.schema.createIndex('token_warnings_created_idx').on('token_warnings').columns(['created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('token_warnings').execute();
}
