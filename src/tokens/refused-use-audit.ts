import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit.service.js';
import type { AppContext } from '../context.js';

const WINDOW_MS = 60_000;
// Past this many remembered tokens, entries older than the window are dropped (memory stays bounded).
const PRUNE_AT = 10_000;

/** Remembers when each token's last refused use was written, so a flood writes one row per minute. */
class RefusalThrottle {
  private readonly lastWritten = new Map<string, number>();

  claim(tokenId: string, now: number): boolean {
    const last = this.lastWritten.get(tokenId);
    if (last !== undefined && now - last < WINDOW_MS) return false;
    if (this.lastWritten.size >= PRUNE_AT) this.prune(now);
    this.lastWritten.set(tokenId, now);
    return true;
  }

  private prune(now: number): void {
    for (const [id, at] of this.lastWritten) if (now - at >= WINDOW_MS) this.lastWritten.delete(id);
  }
}

const throttles = new WeakMap<AppContext, RefusalThrottle>();

export interface RefusedUse {
  tokenId: string;
  ownerId: string;
  reason: 'expired' | 'revoked' | 'rotated';
}

/**
 * Audits a use of a revoked or expired token, at most once per token per minute in this process.
 * A failed write is logged, never allowed to change the 401 the caller gets.
 */
export async function auditRefusedUse(ctx: AppContext, request: FastifyRequest, use: RefusedUse): Promise<void> {
  let throttle = throttles.get(ctx);
  if (!throttle) throttles.set(ctx, (throttle = new RefusalThrottle()));
  if (!throttle.claim(use.tokenId, Date.now())) return;
  try {
    await recordAudit(ctx.db, {
      userId: use.ownerId,
      actor: { type: 'user', id: use.ownerId },
      action: 'token.use_refused',
      targetType: 'personal_token',
      targetId: use.tokenId,
      ip: request.ip,
      details: { reason: use.reason, method: request.method, route: request.routeOptions.url ?? null },
    });
  } catch (err) {
    request.log.error({ err }, 'could not audit a refused token use');
  }
}
