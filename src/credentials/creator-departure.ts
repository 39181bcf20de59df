import type { Transaction } from 'kysely';
import { agentView } from '../agents/agents.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../authz/principal.js';
import type { Database } from '../db/schema.js';
import { recordEvent } from '../events/events.service.js';
import { nowIso } from '../lib/time.js';
import { workspaceTokenView } from '../workspace-tokens/workspace-token-view.js';
import type { CredentialDisabledReason } from './state.js';

type Trx = Transaction<Database>;

export interface Departure {
  /** The member who left, was removed or was blocked. */
  userId: string;
  /** The workspace they left; null: every workspace (a block on the instance). */
  workspaceId: string | null;
  reason: Exclude<CredentialDisabledReason, 'manual'>;
  /** Who removed or blocked them (themselves, when leaving). */
  actor: Actor;
  ip: string | null;
}

/**
 * Disables, in the caller's transaction, every still-enabled workspace token the user created
 * and every agent registered by the user or by one of those tokens. Authentication reads the flags on
 * each request, so the credentials stop at the very next one; nothing is deleted, so an administrator
 * can look at them and re-enable the ones still wanted.
 */
export async function disableCredentialsOf(trx: Trx, departure: Departure): Promise<void> {
  const { userId, workspaceId, reason } = departure;
  let tokens = trx.selectFrom('workspace_access_tokens').select(['id', 'disabled_at']).where('created_by', '=', userId);
  if (workspaceId !== null) tokens = tokens.where('workspace_id', '=', workspaceId);
  const created = await tokens.execute();
  const tokenIds = created.filter((row) => row.disabled_at === null).map((row) => row.id);

  let agents = trx
    .selectFrom('agents')
    .select('id')
    .where('disabled_at', 'is', null)
    .where((eb) => {
      const byUser = eb.and([eb('created_by_type', '=', 'user'), eb('created_by_id', '=', userId)]);
      // Agents the user's tokens registered go too, disabled tokens included: they were the user's hands.
      const allTokenIds = created.map((row) => row.id);
      if (allTokenIds.length === 0) return byUser;
      return eb.or([byUser, eb.and([eb('created_by_type', '=', 'workspace_token'), eb('created_by_id', 'in', allTokenIds)])]);
    });
  if (workspaceId !== null) agents = agents.where('workspace_id', '=', workspaceId);
  const agentIds = (await agents.execute()).map((row) => row.id);

  const now = nowIso();
  const disabled = { disabled_at: now, disabled_reason: reason, updated_at: now };
  if (tokenIds.length > 0) await trx.updateTable('workspace_access_tokens').set(disabled).where('id', 'in', tokenIds).execute();
  if (agentIds.length > 0) await trx.updateTable('agents').set(disabled).where('id', 'in', agentIds).execute();

  for (const id of tokenIds) {
    const row = await trx.selectFrom('workspace_access_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordDisabling(trx, departure, { type: 'access_token', id, workspaceId: row.workspace_id, data: workspaceTokenView(row) });
  }
  for (const id of agentIds) {
    const view = await agentView(trx, id);
    await recordDisabling(trx, departure, { type: 'agent', id, workspaceId: view.workspaceId, data: view });
  }
}

interface DisabledCredential {
  type: 'access_token' | 'agent';
  id: string;
  workspaceId: string;
  data: unknown;
}

/** The same event and audit entry as a disabling by hand, naming the departure as the reason. */
async function recordDisabling(trx: Trx, departure: Departure, credential: DisabledCredential): Promise<void> {
  const action = `${credential.type}.disabled`;
  const target = { resourceType: credential.type, resourceId: credential.id };
  await recordEvent(trx, { workspaceId: credential.workspaceId, type: action, actor: departure.actor, ...target, data: credential.data });
  await recordAudit(trx, {
    userId: departure.actor.type === 'user' ? departure.actor.id : null,
    workspaceId: credential.workspaceId,
    actor: departure.actor,
    action,
    targetType: credential.type,
    targetId: credential.id,
    ip: departure.ip,
    details: { reason: departure.reason, creatorId: departure.userId },
  });
}
