import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/** Migrations receive a bare Kysely; this tells them which dialect they are writing for. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * An auto-incrementing integer primary key, the one column our dialects spell differently:
 * `serial primary key` on PostgreSQL, `integer primary key autoincrement` on SQLite.
 */
export function serialPrimaryKey(db: Kysely<unknown>) {
  const postgres = isPostgres(db);
  return {
    type: postgres ? ('serial' as const) : ('integer' as const),
    build: (c: ColumnDefinitionBuilder) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()),
  };
}
