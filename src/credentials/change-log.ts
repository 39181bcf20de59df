import type { Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { WorkspaceAccess } from '../authz/authorize.js';
import { userOf } from '../authz/principal.js';
import type { Database } from '../db/schema.js';
import { recordEvent } from '../events/events.service.js';

/** Who is acting on a workspace credential, with what access, and from where (for the audit log). */
export interface Caller {
  access: WorkspaceAccess;
  ip: string | null;
}

export interface CredentialChange {
  /** e.g. `access_token.disabled`, `agent.token_issued`: both the event type and the audit action. */
  type: string;
  resourceType: 'access_token' | 'agent';
  resourceId: string;
  /** The resource as it is after the change; never a secret or a hash. */
  data: unknown;
  details?: Record<string, unknown>;
}

/**
 * Records a change to a workspace credential twice, in the transaction making it: as an event the
 * workspace (and its webhooks) can follow, and as an audit entry in the acting user's log.
 */
export async function recordCredentialChange(trx: Transaction<Database>, caller: Caller, change: CredentialChange): Promise<void> {
  const { access } = caller;
  const target = { resourceType: change.resourceType, resourceId: change.resourceId };
  await recordEvent(trx, { workspaceId: access.workspaceId, type: change.type, actor: access.actor, ...target, data: change.data });
  await recordAudit(trx, {
    userId: userOf(access.principal)?.id ?? null,
    workspaceId: access.workspaceId,
    actor: access.actor,
    action: change.type,
    targetType: change.resourceType,
    targetId: change.resourceId,
    ip: caller.ip,
    details: change.details,
  });
}
