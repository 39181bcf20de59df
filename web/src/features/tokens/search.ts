import type { TokenStatus } from './api';

export const STATUSES: TokenStatus[] = ['active', 'expired', 'revoked'];

/** The filters live in the URL, so a filtered list survives a reload and can be shared. */
export function tokensSearch(search: Record<string, unknown>): { status?: TokenStatus; q?: string } {
  const status = STATUSES.find((s) => s === search.status);
  const q = typeof search.q === 'string' && search.q.trim() !== '' ? search.q.slice(0, 100) : undefined;
  return { ...(status ? { status } : {}), ...(q ? { q } : {}) };
}

export interface AuditLogSearch {
  /** One credential's entries. */
  target?: string;
  /** One action, such as token.revoked. */
  action?: string;
}

export function auditLogSearch(search: Record<string, unknown>): AuditLogSearch {
  return {
    ...(typeof search.target === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(search.target) ? { target: search.target } : {}),
    ...(typeof search.action === 'string' && /^[a-z_]{1,40}\.[a-z_]{1,40}$/.test(search.action) ? { action: search.action } : {}),
  };
}
