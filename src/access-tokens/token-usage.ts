import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit.service.js';
import type { UsageFlusher, UsageTracker } from '../auth/usage-tracker.js';
import type { Actor } from '../authz/principal.js';
import type { AppContext } from '../context.js';

/** Usage-tracker kinds (see auth/usage-flushers.ts). */
export const WORKSPACE_TOKEN_USAGE = 'workspace_token';
export const AGENT_TOKEN_USAGE = 'agent_token';

/**
 * Writes one batch of buffered last uses to a token table. Several processes flush independently, so a
 * write never moves `last_used_at` backwards.
 */
export function lastUsedFlusher(table: 'workspace_access_tokens' | 'agent_tokens'): UsageFlusher {
  return async (db, batch) => {
    await db.transaction().execute(async (trx) => {
      for (const [id, { at, ip }] of batch) {
        await trx
          .updateTable(table)
          .set({ last_used_at: at, last_used_ip: ip })
          .where('id', '=', id)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
          .execute();
      }
    });
  };
}

export interface RefusedUse {
  actor: Actor;
  /** Whose audit log shows it (the token's creator), when a user is behind it. */
  userId: string | null;
  workspaceId: string;
  targetType: 'access_token' | 'agent_token';
  targetId: string;
  reason: 'disabled' | 'expired' | 'revoked';
}

const AUDIT_EVERY_MS = 60_000;
const PRUNE_AT = 10_000;
const lastAudited = new WeakMap<AppContext, Map<string, number>>();

/** True when this token's refusal has not been audited in the last minute by this process. */
function claimAuditSlot(ctx: AppContext, tokenId: string, now: number): boolean {
  let seen = lastAudited.get(ctx);
  if (!seen) lastAudited.set(ctx, (seen = new Map()));
  const last = seen.get(tokenId);
  if (last !== undefined && now - last < AUDIT_EVERY_MS) return false;
  if (seen.size >= PRUNE_AT) for (const [id, at] of seen) if (now - at >= AUDIT_EVERY_MS) seen.delete(id);
  seen.set(tokenId, now);
  return true;
}

/**
 * Audits a refused use of a known token. A script retrying a dead token in a loop would otherwise write
 * a row per request, so each token is audited at most once a minute per process; a failed write is
 * logged and never changes the 401 the caller gets.
 */
export async function auditRefusedUse(ctx: AppContext, request: FastifyRequest, use: RefusedUse): Promise<void> {
  if (!claimAuditSlot(ctx, use.targetId, Date.now())) return;
  try {
    await recordAudit(ctx.db, {
      userId: use.userId,
      workspaceId: use.workspaceId,
      actor: use.actor,
      action: `${use.targetType}.use_refused`,
      targetType: use.targetType,
      targetId: use.targetId,
      ip: request.ip,
      details: { reason: use.reason, method: request.method, route: request.routeOptions.url ?? null },
    });
  } catch (err) {
    request.log.error({ err }, 'could not audit a refused token use');
  }
}

/** The latest known use: the stored one, or this process's buffered one when newer (not yet flushed). */
export function latestUse(usage: UsageTracker, kind: string, id: string, stored: string | null): string | null {
  const buffered = usage.peek(kind, id)?.at;
  return buffered !== undefined && (stored === null || buffered > stored) ? buffered : stored;
}
