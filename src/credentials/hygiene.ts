import { sql, type RawBuilder } from 'kysely';
import type { Config } from '../config/config.js';

const DAY_MS = 86_400_000;

/** The instance's expiry-warning and staleness settings, alike for every token kind. */
export interface HygieneRule {
  /** Warning windows before expiry, longest first; the first is what `expiring=true` lists. */
  warningsMs: readonly number[];
  /** A working token unused (since creation) for this long is stale. */
  staleAfterMs: number;
}

export function hygieneRule(config: Pick<Config, 'tokenExpiryWarningsMs' | 'staleTokenDays'>): HygieneRule {
  return { warningsMs: config.tokenExpiryWarningsMs, staleAfterMs: config.staleTokenDays * DAY_MS };
}

/** A list's `stale=true|false` and `expiring=true` query. */
export interface HygieneFilter {
  stale?: boolean;
  expiring?: boolean;
}

interface TokenTimes {
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  /** Not revoked (nor expired: that is read from `expiresAt`). */
  revoked: boolean;
}

/** What every token list adds to a token's view. */
export interface TokenHygiene {
  /** Whole days until it expires, rounded down (0 on its last day); null when it never expires or already has. */
  expiresInDays: number | null;
  /** It still works and has not been used (since creation, if never) for the stale period. */
  stale: boolean;
}

export function tokenHygiene(token: TokenTimes, rule: HygieneRule, now = Date.now()): TokenHygiene {
  const expiresAt = token.expiresAt === null ? null : Date.parse(token.expiresAt);
  const working = !token.revoked && (expiresAt === null || expiresAt > now);
  const lastActivity = Date.parse(token.lastUsedAt ?? token.createdAt);
  return {
    expiresInDays: expiresAt === null || expiresAt <= now ? null : Math.floor((expiresAt - now) / DAY_MS),
    stale: working && lastActivity <= now - rule.staleAfterMs,
  };
}

/** The columns (qualified names) a list's query reads a token's times from. */
export interface TokenColumns {
  /** Null for a row with no token at all (an agent whose token was revoked). */
  id: string;
  expiresAt: string;
  lastUsedAt: string;
  createdAt: string;
  /** Absent when the query already keeps revoked tokens out. */
  revokedAt?: string;
}

function working(columns: TokenColumns, now: string): RawBuilder<boolean> {
  const revoked = columns.revokedAt === undefined ? sql`` : sql` and ${sql.ref(columns.revokedAt)} is null`;
  const expiresAt = sql.ref(columns.expiresAt);
  return sql<boolean>`(${sql.ref(columns.id)} is not null${revoked} and (${expiresAt} is null or ${expiresAt} > ${now}))`;
}

/** `tokenHygiene` as SQL: what a list's `stale` and `expiring` filters keep. Reads the stored last use, not the buffered one. */
export function hygieneConditions(
  columns: TokenColumns,
  filter: HygieneFilter,
  rule: HygieneRule,
  now = Date.now(),
): RawBuilder<boolean>[] {
  const at = new Date(now).toISOString();
  const conditions: RawBuilder<boolean>[] = [];
  if (filter.stale !== undefined) {
    const staleSince = new Date(now - rule.staleAfterMs).toISOString();
    const lastActivity = sql`coalesce(${sql.ref(columns.lastUsedAt)}, ${sql.ref(columns.createdAt)})`;
    const stale = sql<boolean>`(${working(columns, at)} and ${lastActivity} <= ${staleSince})`;
    conditions.push(filter.stale ? stale : sql<boolean>`not ${stale}`);
  }
  if (filter.expiring) {
    const windowEnd = new Date(now + (rule.warningsMs[0] ?? 0)).toISOString();
    conditions.push(sql<boolean>`(${working(columns, at)} and ${sql.ref(columns.expiresAt)} <= ${windowEnd})`);
  }
  return conditions;
}
