import { sql, type RawBuilder } from 'kysely';

/**
 * `column` contains `text`, ignoring case, alike on both dialects (SQLite's LIKE ignores ASCII case
 * only and PostgreSQL's none, so both sides are lower-cased). LIKE wildcards in `text` match literally.
 */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`;
}
