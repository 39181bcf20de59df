import type { Actor } from '../authz/principal.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { recordEvent } from '../events/events.service.js';
import { hygieneConditions, hygieneRule, tokenHygiene, type HygieneFilter, type HygieneRule } from './hygiene.js';

const WEEK_MS = 7 * 86_400_000;
// A warning's claim is kept past the longest it can matter: a week for `stale`, the window (until expiry) for `expiring`.
const MIN_CLAIM_RETENTION_MS = 30 * 86_400_000;

type TokenKind = 'personal_token' | 'access_token' | 'agent_token';

/** A token that a warning may be about, with who the event names and where it is recorded. */
interface WarnedToken {
  kind: TokenKind;
  id: string;
  name: string;
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  actor: Actor;
  agentId: string | null;
  workspaceIds: string[];
}

const times = (table: string) => ({
  id: `${table}.id`,
  expiresAt: `${table}.expires_at`,
  lastUsedAt: `${table}.last_used_at`,
  createdAt: `${table}.created_at`,
  revokedAt: `${table}.revoked_at`,
});

async function personalTokens(db: Db, filter: HygieneFilter, rule: HygieneRule, now: number): Promise<WarnedToken[]> {
  let query = db.selectFrom('personal_access_tokens').selectAll();
  for (const condition of hygieneConditions(times('personal_access_tokens'), filter, rule, now)) query = query.where(condition);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const memberships = await db
    .selectFrom('workspace_members')
    .select(['user_id', 'workspace_id'])
    .where('user_id', 'in', [...new Set(rows.map((row) => row.user_id))])
    .execute();
  return rows.map((row) => ({
    kind: 'personal_token',
    id: row.id,
    name: row.name,
    prefix: row.display_prefix,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    actor: { type: 'user', id: row.user_id },
    agentId: null,
    // A personal token reaches every workspace of its owner.
    workspaceIds: memberships.filter((m) => m.user_id === row.user_id).map((m) => m.workspace_id),
  }));
}

async function workspaceTokens(db: Db, filter: HygieneFilter, rule: HygieneRule, now: number): Promise<WarnedToken[]> {
  let query = db.selectFrom('workspace_access_tokens').selectAll().where('disabled_at', 'is', null);
  for (const condition of hygieneConditions(times('workspace_access_tokens'), filter, rule, now)) query = query.where(condition);
  return (await query.execute()).map((row) => ({
    kind: 'access_token',
    id: row.id,
    name: row.label,
    prefix: row.token_prefix,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    actor: { type: 'workspace_token', id: row.id },
    agentId: null,
    workspaceIds: [row.workspace_id],
  }));
}

async function agentTokens(db: Db, filter: HygieneFilter, rule: HygieneRule, now: number): Promise<WarnedToken[]> {
  let query = db
    .selectFrom('agent_tokens')
    .innerJoin('agents', 'agents.id', 'agent_tokens.agent_id')
    .select([
      'agent_tokens.id',
      'agent_tokens.token_prefix',
      'agent_tokens.expires_at',
      'agent_tokens.last_used_at',
      'agent_tokens.created_at',
      'agents.id as agent_id',
      'agents.name',
      'agents.workspace_id',
    ])
    .where('agents.disabled_at', 'is', null);
  for (const condition of hygieneConditions(times('agent_tokens'), filter, rule, now)) query = query.where(condition);
  return (await query.execute()).map((row) => ({
    kind: 'agent_token',
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    actor: { type: 'agent', id: row.agent_id },
    agentId: row.agent_id,
    workspaceIds: [row.workspace_id],
  }));
}

/** Working tokens of every kind (not disabled) that the filter keeps. */
async function tokensOfEveryKind(db: Db, filter: HygieneFilter, rule: HygieneRule, now: number): Promise<WarnedToken[]> {
  const kinds = await Promise.all([personalTokens, workspaceTokens, agentTokens].map((find) => find(db, filter, rule, now)));
  return kinds.flat();
}

interface Pass {
  db: Db;
  rule: HygieneRule;
  now: number;
}

/** "7d", "36h", "90m": how a warning window reads in an event. */
function windowText(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

/** The narrowest window a token is within (a token first seen 12 hours before expiry gets the 1-day warning only). */
function narrowestWindow(expiresAt: string, rule: HygieneRule, now: number): number | null {
  const left = Date.parse(expiresAt) - now;
  const within = rule.warningsMs.filter((ms) => left <= ms);
  return within.length === 0 ? null : Math.min(...within);
}

/**
 * Records the events of one warning about one token, once: the claim row's primary key makes a second
 * run, or a concurrent one in another process, insert nothing and so record nothing.
 */
async function recordOnce(pass: Pass, token: WarnedToken, warning: string, type: string, details: Record<string, unknown>) {
  return pass.db.transaction().execute(async (trx) => {
    const claim = await trx
      .insertInto('token_warnings')
      .values({ token_id: token.id, warning, created_at: new Date(pass.now).toISOString() })
      .onConflict((oc) => oc.columns(['token_id', 'warning']).doNothing())
      .returning('token_id')
      .executeTakeFirst();
    if (claim === undefined) return 0;
    const data = {
      kind: token.kind,
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      agentId: token.agentId,
      expiresAt: token.expiresAt,
      lastUsedAt: token.lastUsedAt,
      ...tokenHygiene({ ...token, revoked: false }, pass.rule, pass.now),
      ...details,
    };
    for (const workspaceId of token.workspaceIds) {
      await recordEvent(trx, { workspaceId, type, actor: token.actor, resourceType: 'token', resourceId: token.id, data });
    }
    return 1;
  });
}

/**
 * One pass of the token warning job: `token.expiring` once per token and warning window (again if its expiry
 * moves), `token.stale` once per stale token and week, each into every workspace the token reaches. Safe to run
 * from several processes at once. Answers how many warnings it recorded.
 */
export async function recordTokenWarnings(ctx: { db: Db; config: Config }, now = Date.now()): Promise<number> {
  const rule = hygieneRule(ctx.config);
  const pass: Pass = { db: ctx.db, rule, now };
  let recorded = 0;
  for (const token of await tokensOfEveryKind(ctx.db, { expiring: true }, rule, now)) {
    const window = token.expiresAt === null ? null : narrowestWindow(token.expiresAt, rule, now);
    if (window === null) continue;
    const warning = `expiring:${window}:${token.expiresAt}`;
    recorded += await recordOnce(pass, token, warning, 'token.expiring', { warningWindow: windowText(window) });
  }
  const week = Math.floor(now / WEEK_MS);
  for (const token of await tokensOfEveryKind(ctx.db, { stale: true }, rule, now)) {
    recorded += await recordOnce(pass, token, `stale:${week}`, 'token.stale', { staleAfterDays: ctx.config.staleTokenDays });
  }
  const forgotten = new Date(now - Math.max(MIN_CLAIM_RETENTION_MS, ...rule.warningsMs) - WEEK_MS).toISOString();
  await ctx.db.deleteFrom('token_warnings').where('created_at', '<', forgotten).execute();
  return recorded;
}

// Expiry windows are days wide; an hourly pass records a warning within the hour it becomes due.
const PASS_INTERVAL_MS = 3_600_000;

/** Runs `recordTokenWarnings` at start and every hour; `stop` waits for a pass in progress. */
export function startTokenWarnings(ctx: { db: Db; config: Config }, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = recordTokenWarnings(ctx).catch(onError);
  };
  const timer = setInterval(pass, PASS_INTERVAL_MS);
  timer.unref();
  pass();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
