import { sql, type Kysely } from 'kysely';

/**
 * Tables the app changes in the background, whatever the requests do: the webhook dispatcher's queue,
 * attempts and cursor (it fans events out and retries the unreachable webhook on its own clock), the
 * batched flush of token uses (as last-used times, written whatever a request answers), and the migrator's bookkeeping.
 */
const BACKGROUND_TABLES = /^(webhook_|kysely_|token_permission_uses$)/;
/** The dispatcher also notes on the webhook row when deliveries start or stop failing: count rows only. */
const COUNT_ONLY = new Set(['webhooks']);
/** Written on purpose by a refused request: the audit of a revoked or expired token's use (once a minute). */
const REFUSAL_AUDITS = `action not like '%.use_refused'`;

/**
 * A cheap summary of everything a request could change: per table the row count and the latest
 * `updated_at`, and the sum of task versions. Every change records an event, so the events count
 * alone catches most; the rest catches a write that forgot its event. Last-used times and session
 * activity (written by authentication's batched flush) are not part of it.
 */
export async function stateFingerprintQuery(db: Kysely<any>): Promise<() => Promise<string>> {
  const tables = (await db.introspection.getTables()).filter((t) => !BACKGROUND_TABLES.test(t.name));
  const parts = tables.map((table) => {
    const columns = new Set(table.columns.map((c) => c.name));
    const name = `"${table.name}"`;
    const updated = columns.has('updated_at') && !COUNT_ONLY.has(table.name) ? 'max(updated_at)' : `''`;
    const versions = columns.has('version') ? 'sum(version)' : '0';
    const where = table.name === 'audit_log' ? ` where ${REFUSAL_AUDITS}` : '';
    return `select '${table.name}' as t, count(*) as n, ${updated} as u, ${versions} as v from ${name}${where}`;
  });
  if (parts.length === 0) throw new Error('no tables to fingerprint');
  const query = sql.raw<{ t: string; n: number | string; u: string | null; v: number | string | null }>(parts.join(' union all '));
  return async () => {
    const { rows } = await query.execute(db);
    return rows
      .map((r) => `${r.t}:${r.n}:${r.u ?? ''}:${r.v ?? 0}`)
      .sort()
      .join('|');
  };
}
