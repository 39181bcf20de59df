import type { Transaction } from 'kysely';
import { requireRoomInWorkspace } from '../credentials/caps.js';
import { recordCredentialChange, type Caller } from '../credentials/change-log.js';
import { allowedIpsColumn, normalisedAllowedIps, parseAllowedIps } from '../credentials/ip-allowlist.js';
import { hygieneConditions, tokenHygiene, type HygieneFilter, type HygieneRule } from '../credentials/hygiene.js';
import { latestUse } from '../credentials/last-use.js';
import type { TokenLimits } from '../credentials/limits.js';
import { requireTokenPlan } from '../credentials/plan.js';
import { disabledReasonOf, type CredentialDisabledReason } from '../credentials/state.js';
import { fetchPage, idAfterCursor, idCursorOf, type PageRequest } from '../http/pagination.js';
import type { UsageTracker } from '../auth/usage-tracker.js';
import { authorizeById, type ResourceKind } from '../authz/authorize-by-id.js';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Permission } from '../authz/permissions.js';
import type { Actor, Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { requireDeleted } from '../db/deletion.js';
import { notFound } from '../errors/app-error.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { releaseAgentAssignments } from '../tasks/task-actions.service.js';
import { issueAgentToken, lockAgent } from './agent-token-store.js';
import type { AgentRow } from './tables.js';

type Executor = Db | Transaction<Database>;

export interface AgentView {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  createdBy: Actor;
  createdAt: string;
  updatedAt: string;
  status: 'active' | 'disabled';
  /** Why it is disabled; null while it is not. */
  disabledReason: CredentialDisabledReason | null;
  /** CIDRs its tokens may be used from; null: any address. */
  allowedIps: string[] | null;
  token: { prefix: string; issuedAt: string; expiresAt: string | null; lastUsedAt: string | null } | null;
}

/** An agent row with its current token's columns (null when it has none). */
function agentsWithCurrentToken(db: Executor) {
  return db
    .selectFrom('agents')
    .leftJoin('agent_tokens', (join) => join.onRef('agent_tokens.agent_id', '=', 'agents.id').on('agent_tokens.revoked_at', 'is', null))
    .selectAll('agents')
    .select([
      'agent_tokens.id as token_id',
      'agent_tokens.token_prefix',
      'agent_tokens.created_at as token_created_at',
      'agent_tokens.expires_at as token_expires_at',
      'agent_tokens.last_used_at',
    ]);
}

type AgentWithToken = AgentRow & {
  token_id: string | null;
  token_prefix: string | null;
  token_created_at: string | null;
  token_expires_at: string | null;
  last_used_at: string | null;
};

function toView(row: AgentWithToken, usage: UsageTracker | null): AgentView {
  const stored = { at: row.last_used_at, ip: null };
  const lastUsedAt = row.token_id === null ? row.last_used_at : latestUse(usage, 'agent_tokens', row.token_id, stored).at;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    description: row.description,
    createdBy: { type: row.created_by_type, id: row.created_by_id },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: row.disabled_at === null ? 'active' : 'disabled',
    disabledReason: disabledReasonOf(row),
    allowedIps: parseAllowedIps(row.allowed_ips),
    token:
      row.token_id !== null && row.token_prefix !== null && row.token_created_at !== null
        ? { prefix: row.token_prefix, issuedAt: row.token_created_at, expiresAt: row.token_expires_at, lastUsedAt }
        : null,
  };
}

export async function agentView(db: Executor, agentId: string, usage: UsageTracker | null = null): Promise<AgentView> {
  const row = await agentsWithCurrentToken(db).where('agents.id', '=', agentId).executeTakeFirst();
  if (!row) throw notFound('Agent');
  return toView(row, usage);
}

export interface AgentTarget {
  access: WorkspaceAccess;
  agent: AgentRow;
}

const AGENT: ResourceKind<AgentRow> = {
  noun: 'Agent',
  find: (db, id) => db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst(),
  locate: (agent) => ({ workspaceId: agent.workspace_id }),
};

/** Authorises an action on one agent in its own workspace (authorizeById: outsiders learn nothing of agent ids). */
export async function authorizeAgent(db: Db, principal: Principal, agentId: string, permission: Permission): Promise<AgentTarget> {
  const { access, row } = await authorizeById(db, principal, AGENT, agentId, permission);
  return { access, agent: row };
}

// The join keeps only the current (unrevoked) token, so no revokedAt: a row without one has a null token id.
const TOKEN_COLUMNS = {
  id: 'agent_tokens.id',
  expiresAt: 'agent_tokens.expires_at',
  lastUsedAt: 'agent_tokens.last_used_at',
  createdAt: 'agent_tokens.created_at',
};

/** With `stale` or `expiring`, the agents whose current token is (or, `stale=false`, is not) so. */
export async function listAgents(
  db: Db,
  usage: UsageTracker,
  hygiene: HygieneRule,
  workspaceId: string,
  page: PageRequest & HygieneFilter,
) {
  let query = agentsWithCurrentToken(db).where('agents.workspace_id', '=', workspaceId);
  for (const condition of hygieneConditions(TOKEN_COLUMNS, page, hygiene)) query = query.where(condition);
  const after = idAfterCursor(page);
  if (after) query = query.where('agents.id', '<', after);
  const fetch = (rowCount: number) => query.orderBy('agents.id', 'desc').limit(rowCount).execute();
  const { items, nextCursor } = await fetchPage(page.limit, fetch, idCursorOf);
  const listed = (row: AgentWithToken) => {
    const view = toView(row, usage);
    if (view.token === null) return { ...view, token: null };
    const times = { expiresAt: view.token.expiresAt, lastUsedAt: view.token.lastUsedAt, createdAt: view.token.issuedAt, revoked: false };
    return { ...view, token: { ...view.token, ...tokenHygiene(times, hygiene) } };
  };
  return { items: items.map(listed), nextCursor };
}

export interface NewAgent {
  name: string;
  description?: string;
  allowedIps?: string[] | null;
}

/** Registers an agent and issues its first token, returned here once. */
export async function registerAgent(db: Db, caller: Caller, input: NewAgent, limits: TokenLimits) {
  const { access } = caller;
  requireTokenPlan(access.plan);
  const now = nowIso();
  const row: AgentRow = {
    id: newId('agent'),
    workspace_id: access.workspaceId,
    name: input.name.trim(),
    description: input.description ?? '',
    created_by_type: access.actor.type,
    created_by_id: access.actor.id,
    created_at: now,
    updated_at: now,
    disabled_at: null,
    disabled_reason: null,
    allowed_ips: allowedIpsColumn(normalisedAllowedIps(input.allowedIps ?? null)),
  };
  return db.transaction().execute(async (trx) => {
    await requireRoomInWorkspace(trx, access.workspaceId, limits.maxHeld);
    await trx.insertInto('agents').values(row).execute();
    const token = await issueAgentToken(trx, row.id, limits.maxLifetimeMs);
    const agent = await agentView(trx, row.id);
    await recordCredentialChange(trx, caller, {
      type: 'agent.created',
      resourceType: 'agent',
      resourceId: row.id,
      data: agent,
      details: { name: agent.name },
    });
    return { agent, token, previousTokenRevokedAt: null };
  });
}

export interface AgentChanges {
  name?: string;
  description?: string;
  allowedIps?: string[] | null;
  enabled?: boolean;
}

/**
 * What enabling or disabling changes. Re-enabling makes the caller the agent's responsible creator:
 * an agent disabled because its creator left then answers to someone still here.
 */
function toggling(before: AgentRow, enabled: boolean | undefined, actor: Actor): Partial<AgentRow> | null {
  if (enabled === undefined || enabled === (before.disabled_at === null)) return null;
  return enabled
    ? { disabled_at: null, disabled_reason: null, created_by_type: actor.type, created_by_id: actor.id }
    : { disabled_at: nowIso(), disabled_reason: 'manual' };
}

export async function updateAgent(db: Db, caller: Caller, agentId: string, changes: AgentChanges): Promise<AgentView> {
  const { enabled, allowedIps, ...fields } = changes;
  const set: Partial<AgentRow> = { ...fields, ...(fields.name !== undefined ? { name: fields.name.trim() } : {}) };
  if (allowedIps !== undefined) set.allowed_ips = allowedIpsColumn(normalisedAllowedIps(allowedIps));
  return db.transaction().execute(async (trx) => {
    // Locked first, so of two concurrent toggles only the first sees a change to record.
    await lockAgent(trx, agentId);
    const before = await trx.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirst();
    if (!before) throw notFound('Agent');
    const toggle = toggling(before, enabled, caller.access.actor);
    await trx
      .updateTable('agents')
      .set({ ...set, ...toggle, updated_at: nowIso() })
      .where('id', '=', agentId)
      .execute();
    const agent = await agentView(trx, agentId);
    const changed = Object.keys(changes).filter((field) => field !== 'enabled');
    if (changed.length > 0) {
      await recordCredentialChange(trx, caller, {
        type: 'agent.updated',
        resourceType: 'agent',
        resourceId: agentId,
        data: agent,
        details: { changed },
      });
    }
    if (toggle) {
      const details = enabled
        ? { previousCreatedBy: { type: before.created_by_type, id: before.created_by_id }, previousDisabledReason: before.disabled_reason }
        : { reason: 'manual' };
      await recordCredentialChange(trx, caller, {
        type: enabled ? 'agent.enabled' : 'agent.disabled',
        resourceType: 'agent',
        resourceId: agentId,
        data: agent,
        details,
      });
    }
    return agent;
  });
}

/** Deletes an agent; its tokens go with it (cascade), so they are unknown from the next request. */
export async function deleteAgent(db: Db, caller: Caller, agentId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const agent = await agentView(trx, agentId);
    // Deleted first: of concurrent deletions only the one that removes the row releases and records.
    requireDeleted(await trx.deleteFrom('agents').where('id', '=', agentId).executeTakeFirst(), 'Agent');
    await releaseAgentAssignments(trx, caller.access, agentId);
    await recordCredentialChange(trx, caller, {
      type: 'agent.deleted',
      resourceType: 'agent',
      resourceId: agentId,
      data: agent,
      details: { name: agent.name },
    });
  });
}
