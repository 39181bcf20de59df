import type { Transaction } from 'kysely';
import { recordCredentialChange } from '../access-tokens/change-log.js';
import { requirePaidPlan, type Caller } from '../access-tokens/credential-rules.js';
import { idBefore, pageOf, type Page } from '../access-tokens/id-paging.js';
import { AGENT_TOKEN_USAGE, latestUse } from '../access-tokens/token-usage.js';
import type { UsageTracker } from '../auth/usage-tracker.js';
import { authorize, type WorkspaceAccess } from '../authz/authorize.js';
import type { Permission } from '../authz/permissions.js';
import type { Actor, Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors/app-error.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { releaseAgentAssignments } from '../tasks/task-actions.service.js';
import { issueAgentToken } from './agent-token-store.js';
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
  token: { prefix: string; issuedAt: string; lastUsedAt: string | null } | null;
}

/** An agent row with its current token's columns (null when it has none). */
function agentsWithCurrentToken(db: Executor) {
  return db
    .selectFrom('agents')
    .leftJoin('agent_tokens', (join) => join.onRef('agent_tokens.agent_id', '=', 'agents.id').on('agent_tokens.revoked_at', 'is', null))
    .selectAll('agents')
    .select(['agent_tokens.id as token_id', 'agent_tokens.token_prefix', 'agent_tokens.created_at as token_created_at', 'agent_tokens.last_used_at']);
}

type AgentWithToken = AgentRow & { token_id: string | null; token_prefix: string | null; token_created_at: string | null; last_used_at: string | null };

function toView(row: AgentWithToken, usage: UsageTracker | null): AgentView {
  const lastUsedAt = row.token_id !== null && usage ? latestUse(usage, AGENT_TOKEN_USAGE, row.token_id, row.last_used_at) : row.last_used_at;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    description: row.description,
    createdBy: { type: row.created_by_type, id: row.created_by_id },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    token: row.token_id !== null && row.token_prefix !== null && row.token_created_at !== null
      ? { prefix: row.token_prefix, issuedAt: row.token_created_at, lastUsedAt }
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

/**
 * Authorises an action on one agent in its own workspace. Callers with no standing there get the same
 * 404 as for an agent that does not exist, so agent ids reveal nothing.
 */
export async function authorizeAgent(db: Db, principal: Principal, agentId: string, permission: Permission): Promise<AgentTarget> {
  const agent = await db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirst();
  if (!agent) throw notFound('Agent');
  try {
    return { access: await authorize(db, principal, agent.workspace_id, permission), agent };
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw notFound('Agent');
    throw err;
  }
}

export async function listAgents(db: Db, usage: UsageTracker, workspaceId: string, page: Page) {
  let query = agentsWithCurrentToken(db).where('agents.workspace_id', '=', workspaceId);
  const before = idBefore(page);
  if (before !== null) query = query.where('agents.id', '<', before);
  const { items, nextCursor } = pageOf(await query.orderBy('agents.id', 'desc').limit(page.limit + 1).execute(), page.limit);
  return { items: items.map((row) => toView(row, usage)), nextCursor };
}

/** Registers an agent and issues its first token, returned here once. */
export async function registerAgent(db: Db, caller: Caller, input: { name: string; description?: string }) {
  const { access } = caller;
  requirePaidPlan(access);
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
  };
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('agents').values(row).execute();
    const token = await issueAgentToken(trx, row.id);
    const agent = await agentView(trx, row.id);
    await recordCredentialChange(trx, caller, { type: 'agent.created', resourceType: 'agent', resourceId: row.id, data: agent, details: { name: agent.name } });
    return { agent, token, previousTokenRevokedAt: null };
  });
}

export async function updateAgent(db: Db, caller: Caller, agentId: string, changes: { name?: string; description?: string }): Promise<AgentView> {
  const set = { ...changes, ...(changes.name !== undefined ? { name: changes.name.trim() } : {}) };
  if (Object.keys(set).length === 0) throw new AppError('VALIDATION_FAILED', 'Send at least one of name or description', { fields: [] });
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('agents').set({ ...set, updated_at: nowIso() }).where('id', '=', agentId).execute();
    const agent = await agentView(trx, agentId);
    await recordCredentialChange(trx, caller, { type: 'agent.updated', resourceType: 'agent', resourceId: agentId, data: agent, details: { changed: Object.keys(set) } });
    return agent;
  });
}

/** Deletes an agent; its tokens go with it (cascade), so they are unknown from the next request. */
export async function deleteAgent(db: Db, caller: Caller, agentId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const agent = await agentView(trx, agentId);
    await releaseAgentAssignments(trx, caller.access, agentId);
    await trx.deleteFrom('agents').where('id', '=', agentId).execute();
    await recordCredentialChange(trx, caller, { type: 'agent.deleted', resourceType: 'agent', resourceId: agentId, data: agent, details: { name: agent.name } });
  });
}
