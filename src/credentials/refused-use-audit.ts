import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import type { RefusalReason } from './state.js';

const WINDOW_MS = 60_000;
// Past this many remembered credentials, entries older than the window are dropped (memory stays bounded).
const PRUNE_AT = 10_000;

/**
 * Remembers when each credential's last refused use was audited by this process, so a script retrying a
 * dead token in a loop writes one row a minute, not one per request. One per app, on `AppContext`.
 */
export class RefusedUseThrottle {
  private readonly lastWritten = new Map<string, number>();

  /** True when this credential's refusal may be audited now (and is then counted as audited). */
  claim(credentialId: string, now: number): boolean {
    const last = this.lastWritten.get(credentialId);
    if (last !== undefined && now - last < WINDOW_MS) return false;
    if (this.lastWritten.size >= PRUNE_AT) this.prune(now);
    this.lastWritten.set(credentialId, now);
    return true;
  }

  private prune(now: number): void {
    for (const [id, at] of this.lastWritten) if (now - at >= WINDOW_MS) this.lastWritten.delete(id);
  }
}

/** Who a refused use is recorded against: the credential, who acted with it, and whose log shows it. */
export interface RefusedUse {
  actor: Actor;
  /** Whose audit log shows it (the owner or creator), when a user is behind the credential. */
  userId: string | null;
  workspaceId: string | null;
  targetId: string;
  /** A delegated token's chain, root first (`{ kind, id }`): written to the entry's details. */
  chain?: readonly { kind: string; id: string }[];
}

/** The audit entry's target type and action for one kind's refused uses (see policies.ts). */
export interface RefusalAudit {
  targetType: 'personal_token' | 'access_token' | 'agent_token' | 'delegated_token';
  refusedAction: 'token.use_refused' | 'access_token.use_refused' | 'agent_token.use_refused' | 'delegated_token.use_refused';
}

/**
 * Audits a refused use of a known credential, at most once per credential per minute in this process.
 * A failed write is logged, never allowed to change the 401 the caller gets.
 */
export async function auditRefusedUse(
  ctx: AppContext,
  request: FastifyRequest,
  audit: RefusalAudit,
  use: RefusedUse,
  reason: RefusalReason,
): Promise<void> {
  if (!ctx.refusedUseThrottle.claim(use.targetId, Date.now())) return;
  try {
    await recordAudit(ctx.db, {
      userId: use.userId,
      workspaceId: use.workspaceId,
      actor: use.actor,
      action: audit.refusedAction,
      targetType: audit.targetType,
      targetId: use.targetId,
      ip: request.ip,
      details: { reason, method: request.method, route: request.routeOptions.url ?? null, ...(use.chain ? { chain: use.chain } : {}) },
    });
  } catch (err) {
    request.log.error({ err }, 'could not audit a refused token use');
  }
}
