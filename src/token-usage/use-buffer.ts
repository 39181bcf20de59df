import type { Permission } from '../authz/permissions.js';
import type { Principal } from '../authz/principal.js';
import type { UsageTokenKind } from './tables.js';

/** One counted use, as a batch holds it. */
export interface CountedUse {
  kind: UsageTokenKind;
  tokenId: string;
  day: string;
  permission: string;
  projectId: string;
  uses: number;
}

const DAY_MS = 86_400_000;

/** permission → project ('' for none) → uses, for one token on one day. */
type DayCounts = Map<string, Map<string, number>>;
/** kind → token id → day → its counts. Nested maps, so counting builds no key string. */
type Counts = Map<UsageTokenKind, Map<string, Map<string, DayCounts>>>;

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/**
 * Counts, in memory, each token's uses of each permission (and project) per UTC day: authorisation increments a
 * counter and never writes; the token-usage job writes the counts in batches (`flushTokenUses`). One per app
 * (`AppContext.tokenUses`).
 */
export class TokenUseBuffer {
  private pending: Counts = new Map();
  private day = '';
  private dayEndsAt = 0;

  /** The hot path: a few map lookups and an increment. */
  count(kind: UsageTokenKind, tokenId: string, permission: string, projectId: string | undefined): void {
    const now = Date.now();
    if (now >= this.dayEndsAt) {
      this.day = new Date(now).toISOString().slice(0, 10);
      this.dayEndsAt = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
    }
    this.add(kind, tokenId, this.day, permission, projectId ?? '', 1);
  }

  private add(kind: UsageTokenKind, tokenId: string, day: string, permission: string, projectId: string, uses: number): void {
    const byId = child(this.pending, kind, () => new Map<string, Map<string, DayCounts>>());
    const byDay = child(byId, tokenId, () => new Map<string, DayCounts>());
    const byPermission = child(byDay, day, (): DayCounts => new Map());
    const byProject = child(byPermission, permission, () => new Map<string, number>());
    byProject.set(projectId, (byProject.get(projectId) ?? 0) + uses);
  }

  /** The uses of one token counted here and not yet written, so an answer can include them. */
  peek(kind: UsageTokenKind, tokenId: string): CountedUse[] {
    const byDay = this.pending.get(kind)?.get(tokenId);
    return byDay ? flatten(kind, tokenId, byDay) : [];
  }

  /** Hands over everything counted so far; counting goes on into a fresh buffer. */
  take(): CountedUse[] {
    const batch = this.pending;
    this.pending = new Map();
    const out: CountedUse[] = [];
    for (const [kind, byId] of batch) for (const [tokenId, byDay] of byId) out.push(...flatten(kind, tokenId, byDay));
    return out;
  }

  /** A batch that could not be written is counted again, added to whatever came since. */
  putBack(batch: readonly CountedUse[]): void {
    for (const use of batch) this.add(use.kind, use.tokenId, use.day, use.permission, use.projectId, use.uses);
  }
}

function flatten(kind: UsageTokenKind, tokenId: string, byDay: ReadonlyMap<string, DayCounts>): CountedUse[] {
  const out: CountedUse[] = [];
  for (const [day, byPermission] of byDay)
    for (const [permission, byProject] of byPermission)
      for (const [projectId, uses] of byProject) out.push({ kind, tokenId, day, permission, projectId, uses });
  return out;
}

// The database handle a request's services are given carries its app's buffer, as it carries its read cache: authorize()
// is handed `db`, never the context. The buffer itself belongs to the AppContext; this only finds it from the handle.
const BUFFERS = new WeakMap<object, TokenUseBuffer>();

/** Makes `authorize(db, …)` count token uses into `buffer` (done once, in createContext). */
export function countTokenUsesOf(db: object, buffer: TokenUseBuffer): void {
  BUFFERS.set(db, buffer);
}

/** Which token a principal's uses are counted under; null for a session. */
function usageTokenOf(principal: Principal): { kind: UsageTokenKind; id: string } | null {
  switch (principal.kind) {
    case 'personal_token':
      return { kind: 'personal', id: principal.token.id };
    case 'workspace_token':
      return { kind: 'workspace', id: principal.token.id };
    case 'agent':
      return { kind: 'agent', id: principal.agent.id };
    default:
      return null;
  }
}

/** Called by authorize() when it lets a token through: counts the use in memory (no write). */
export function countTokenUse(db: object, principal: Principal, permission: Permission, projectId: string | undefined): void {
  if (principal.kind === 'session') return;
  const token = usageTokenOf(principal);
  if (token) BUFFERS.get(db)?.count(token.kind, token.id, permission, projectId);
}
