import { sql, type Expression, type SqlBool } from 'kysely';
import { revokeAgentTokens } from '../agents/agent-tokens.service.js';
import type { UsageTracker } from '../auth/usage-tracker.js';
import type { Caller } from '../credentials/change-log.js';
import { hygieneConditions, tokenHygiene, type HygieneFilter, type HygieneRule } from '../credentials/hygiene.js';
import { latestUse, type TokenTable } from '../credentials/last-use.js';
import type { Db } from '../db/database.js';
import { revokeDelegationTree } from '../delegation/delegation.service.js';
import { notFound } from '../errors/app-error.js';
import { fetchKeysetPage, type KeysetSort, type PageRequest } from '../http/pagination.js';
import { nowIso } from '../lib/time.js';
import { parseStringList } from '../personal-tokens/personal-token-view.js';
import { revokePersonalTokenAs } from '../personal-tokens/personal-tokens.service.js';
import { revokeWorkspaceToken } from '../workspace-tokens/workspace-tokens.service.js';
import type { InventoryKind, InventoryStatus } from './token-inventory.schemas.js';

/** One token as the inventory reads it, whatever its kind: the same columns from each kind's table. */
interface InventoryRow {
  kind: InventoryKind;
  id: string;
  name: string;
  prefix: string;
  owner_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  disabled_at: string | null;
  last_used_at: string | null;
  project_ids: string | null;
}

interface Person {
  id: string;
  name: string;
  email: string;
}

export interface InventoryItem {
  kind: InventoryKind;
  id: string;
  name: string;
  maskedToken: string;
  owner: Person | null;
  createdBy: Person | null;
  status: InventoryStatus;
  expiresAt: string | null;
  expiresInDays: number | null;
  stale: boolean;
  lastUsedAt: string | null;
  projectIds: string[] | null;
  revokedAt: string | null;
}

export interface InventoryFilter extends PageRequest, HygieneFilter {
  kind?: InventoryKind;
  status?: InventoryStatus;
  createdBy?: string;
}

const TABLES: Record<InventoryKind, TokenTable> = {
  personal: 'personal_access_tokens',
  workspace: 'workspace_access_tokens',
  agent: 'agent_tokens',
  delegated: 'delegated_tokens',
};

const text = (value: string | null) => sql<string | null>`${value}`;

/**
 * The personal tokens of the workspace's members that can reach it: unrestricted ones, and those limited to
 * projects of which at least one is in this workspace (one limited to other workspaces' projects cannot act here).
 * Project ids are plain `[A-Za-z0-9_]` text, so `"<id>"` inside the stored JSON list is that id.
 */
function reachingPersonalTokens(db: Db, workspaceId: string) {
  return db
    .selectFrom('personal_access_tokens as pt')
    .innerJoin('workspace_members as m', (join) => join.onRef('m.user_id', '=', 'pt.user_id').on('m.workspace_id', '=', workspaceId))
    .innerJoin('users as u', 'u.id', 'pt.user_id')
    .where((eb) => eb.or([eb('pt.project_ids', 'is', null), eb.exists(projectHere(db, workspaceId, 'pt.project_ids'))]));
}

/** A project of the workspace among those a stored JSON list of project ids names. */
function projectHere(db: Db, workspaceId: string, projectIds: 'pt.project_ids' | 'dt.project_ids') {
  return db
    .selectFrom('projects as p')
    .select('p.id')
    .where('p.workspace_id', '=', workspaceId)
    .where(sql<SqlBool>`${sql.ref(projectIds)} like ('%"' || p.id || '"%')`);
}

function personalTokens(db: Db, workspaceId: string) {
  return reachingPersonalTokens(db, workspaceId).select([
    sql<InventoryKind>`'personal'`.as('kind'),
    'pt.id as id',
    'pt.name as name',
    'pt.display_prefix as prefix',
    sql<string | null>`pt.user_id`.as('owner_id'),
    sql<string | null>`pt.user_id`.as('created_by'),
    'pt.created_at as created_at',
    sql<string | null>`pt.expires_at`.as('expires_at'),
    'pt.revoked_at as revoked_at',
    // A blocked owner's tokens are refused (USER_BLOCKED): disabled, as far as the inventory tells.
    sql<string | null>`u.blocked_at`.as('disabled_at'),
    'pt.last_used_at as last_used_at',
    'pt.project_ids as project_ids',
  ]);
}

function workspaceTokens(db: Db, workspaceId: string) {
  return db
    .selectFrom('workspace_access_tokens as wt')
    .where('wt.workspace_id', '=', workspaceId)
    .select([
      sql<InventoryKind>`'workspace'`.as('kind'),
      'wt.id as id',
      'wt.label as name',
      'wt.token_prefix as prefix',
      text(null).as('owner_id'),
      sql<string | null>`wt.created_by`.as('created_by'),
      'wt.created_at as created_at',
      'wt.expires_at as expires_at',
      'wt.revoked_at as revoked_at',
      'wt.disabled_at as disabled_at',
      'wt.last_used_at as last_used_at',
      text(null).as('project_ids'),
    ]);
}

function agentTokens(db: Db, workspaceId: string) {
  return db
    .selectFrom('agent_tokens as at')
    .innerJoin('agents as a', 'a.id', 'at.agent_id')
    .where('a.workspace_id', '=', workspaceId)
    .select([
      sql<InventoryKind>`'agent'`.as('kind'),
      'at.id as id',
      'a.name as name',
      'at.token_prefix as prefix',
      text(null).as('owner_id'),
      sql<string | null>`case when a.created_by_type = 'user' then a.created_by_id end`.as('created_by'),
      'at.created_at as created_at',
      'at.expires_at as expires_at',
      'at.revoked_at as revoked_at',
      'a.disabled_at as disabled_at',
      'at.last_used_at as last_used_at',
      text(null).as('project_ids'),
    ]);
}

/**
 * Delegated tokens (`tgd_`) whose root is one of the workspace's tokens or agents, or a member's personal token that
 * reaches it (then only those not limited to other workspaces' projects).
 */
function delegatedTokens(db: Db, workspaceId: string) {
  return db
    .selectFrom('delegated_tokens as dt')
    .where((eb) =>
      eb.or([
        eb('dt.workspace_id', '=', workspaceId),
        eb.and([
          eb('dt.root_kind', '=', 'personal'),
          eb('dt.root_id', 'in', reachingPersonalTokens(db, workspaceId).select('pt.id')),
          eb.or([eb('dt.project_ids', 'is', null), eb.exists(projectHere(db, workspaceId, 'dt.project_ids'))]),
        ]),
      ]),
    )
    .select([
      sql<InventoryKind>`'delegated'`.as('kind'),
      'dt.id as id',
      'dt.name as name',
      'dt.display_prefix as prefix',
      sql<string | null>`case when dt.root_kind = 'personal' then dt.user_id end`.as('owner_id'),
      'dt.user_id as created_by',
      'dt.created_at as created_at',
      sql<string | null>`dt.expires_at`.as('expires_at'),
      'dt.revoked_at as revoked_at',
      text(null).as('disabled_at'),
      'dt.last_used_at as last_used_at',
      'dt.project_ids as project_ids',
    ]);
}

/** Every token that can reach the workspace, one row shape for all kinds. */
function inventory(db: Db, workspaceId: string) {
  const all = personalTokens(db, workspaceId)
    .unionAll(workspaceTokens(db, workspaceId))
    .unionAll(agentTokens(db, workspaceId))
    .unionAll(delegatedTokens(db, workspaceId));
  return db.selectFrom(all.as('inv')).selectAll();
}

// Revocation takes effect at `revoked_at`, which an agent token's reissue grace puts in the future (credentials/state.ts).
function revoked(now: string): Expression<SqlBool> {
  return sql<SqlBool>`(inv.revoked_at is not null and inv.revoked_at <= ${now})`;
}

/** `statusOf` in SQL: revoked wins over disabled, disabled over expired. */
function whereStatus(status: InventoryStatus, now: string): Expression<SqlBool> {
  const notRevoked = sql<SqlBool>`not ${revoked(now)}`;
  switch (status) {
    case 'revoked':
      return revoked(now);
    case 'disabled':
      return sql<SqlBool>`(${notRevoked} and inv.disabled_at is not null)`;
    case 'expired':
      return sql<SqlBool>`(${notRevoked} and inv.disabled_at is null and inv.expires_at is not null and inv.expires_at <= ${now})`;
    case 'active':
      return sql<SqlBool>`(${notRevoked} and inv.disabled_at is null and (inv.expires_at is null or inv.expires_at > ${now}))`;
  }
}

function statusOf(row: InventoryRow, now: string): InventoryStatus {
  if (row.revoked_at !== null && row.revoked_at <= now) return 'revoked';
  if (row.disabled_at !== null) return 'disabled';
  return row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
}

const COLUMNS = {
  id: 'inv.id',
  expiresAt: 'inv.expires_at',
  lastUsedAt: 'inv.last_used_at',
  createdAt: 'inv.created_at',
  revokedAt: 'inv.revoked_at',
};

// Ids of different kinds have different prefixes, so the newest first is by creation time, then id.
const NEWEST_FIRST: KeysetSort = { key: 'created', column: 'inv.created_at', idColumn: 'inv.id', direction: 'desc', kind: 'timestamp' };

async function people(db: Db, rows: readonly InventoryRow[]): Promise<Map<string, Person>> {
  const ids = [...new Set(rows.flatMap((row) => [row.owner_id, row.created_by]).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const found = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
  return new Map(found.map((user) => [user.id, user]));
}

async function toItems(db: Db, usage: UsageTracker, hygiene: HygieneRule, rows: readonly InventoryRow[]): Promise<InventoryItem[]> {
  const byId = await people(db, rows);
  const now = nowIso();
  const person = (id: string | null) => (id === null ? null : (byId.get(id) ?? null));
  return rows.map((row) => {
    const lastUsedAt = latestUse(usage, TABLES[row.kind], row.id, { at: row.last_used_at, ip: null }).at;
    const status = statusOf(row, now);
    const times = { expiresAt: row.expires_at, lastUsedAt, createdAt: row.created_at, revoked: row.revoked_at !== null };
    return {
      kind: row.kind,
      id: row.id,
      name: row.name,
      // The display prefix only: never the secret, never its hash.
      maskedToken: `${row.prefix}…`,
      owner: person(row.owner_id),
      createdBy: person(row.created_by),
      status,
      expiresAt: row.expires_at,
      ...tokenHygiene(times, hygiene),
      lastUsedAt,
      projectIds: parseStringList(row.project_ids),
      revokedAt: row.revoked_at,
    };
  });
}

/** Every token that can reach the workspace, newest first, filtered; masked, with last uses not yet flushed. */
export async function listTokenInventory(
  db: Db,
  usage: UsageTracker,
  hygiene: HygieneRule,
  workspaceId: string,
  filter: InventoryFilter,
): Promise<{ items: InventoryItem[]; nextCursor: string | null }> {
  let query = inventory(db, workspaceId);
  if (filter.kind) query = query.where('inv.kind', '=', filter.kind);
  if (filter.createdBy) query = query.where('inv.created_by', '=', filter.createdBy);
  if (filter.status) query = query.where(whereStatus(filter.status, nowIso()));
  for (const condition of hygieneConditions(COLUMNS, filter, hygiene)) query = query.where(condition);
  const page = await fetchKeysetPage(query, NEWEST_FIRST, filter, (row) => row.created_at);
  return { items: await toItems(db, usage, hygiene, page.items), nextCursor: page.nextCursor };
}

async function findInInventory(db: Db, workspaceId: string, kind: InventoryKind, tokenId: string): Promise<InventoryRow> {
  const row = await inventory(db, workspaceId).where('inv.kind', '=', kind).where('inv.id', '=', tokenId).executeTakeFirst();
  if (!row) throw notFound('Token');
  return row;
}

/**
 * Revokes a token that reaches the workspace through its own kind's revocation, recording what that records (audit
 * entry, and event for workspace and agent tokens) with the caller as actor; revoking a revoked token changes nothing.
 * An agent token is revoked as DELETE /agents/{id}/token does: the agent's working tokens all stop; a delegated token as
 * DELETE /delegated-tokens/{id} does, with its descendants.
 */
export async function revokeFromInventory(
  db: Db,
  usage: UsageTracker,
  hygiene: HygieneRule,
  caller: Caller,
  kind: InventoryKind,
  tokenId: string,
): Promise<InventoryItem> {
  const { workspaceId } = caller.access;
  const found = await findInInventory(db, workspaceId, kind, tokenId);
  if (statusOf(found, nowIso()) !== 'revoked') await revokeByKind(db, caller, found);
  const [item] = await toItems(db, usage, hygiene, [await findInInventory(db, workspaceId, kind, tokenId)]);
  if (!item) throw notFound('Token');
  return item;
}

async function revokeByKind(db: Db, caller: Caller, found: InventoryRow): Promise<void> {
  const { workspaceId } = caller.access;
  switch (found.kind) {
    case 'personal':
      await db
        .transaction()
        .execute((trx) => revokePersonalTokenAs(trx, found.id, { actor: caller.access.actor, ip: caller.ip, workspaceId }));
      break;
    case 'workspace':
      await revokeWorkspaceToken(db, caller, found.id);
      break;
    case 'agent': {
      const token = await db.selectFrom('agent_tokens').select('agent_id').where('id', '=', found.id).executeTakeFirstOrThrow();
      await revokeAgentTokens(db, caller, token.agent_id);
      break;
    }
    case 'delegated': {
      const row = await db.selectFrom('delegated_tokens').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow();
      await revokeDelegationTree(db, row, caller.access.actor, caller.ip);
      break;
    }
  }
}
