import { expect } from 'vitest';
import type { TestUser } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';

const DAY_MS = 86_400_000;

/** An ISO time `ms` from now (negative: in the past). */
export function fromNow(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

export const days = (n: number) => n * DAY_MS;
export const hours = (n: number) => n * 3_600_000;

type TokenTable = 'personal_access_tokens' | 'workspace_access_tokens' | 'agent_tokens';

/** Moves a token in time by editing its row, as the passing of days would. */
export async function setTokenTimes(
  t: TestApp,
  table: TokenTable,
  id: string,
  times: { expires_at?: string; created_at?: string; last_used_at?: string | null },
): Promise<void> {
  await t.ctx.db.updateTable(table).set(times).where('id', '=', id).execute();
}

/** The id of an agent's current token row. */
export async function agentTokenId(t: TestApp, agentId: string): Promise<string> {
  const row = await t.ctx.db
    .selectFrom('agent_tokens')
    .select('id')
    .where('agent_id', '=', agentId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The workspace's events of one type, newest first, as the events API answers them. */
export async function eventsOfType(t: TestApp, user: TestUser, workspaceId: string, type: string): Promise<RecordedEvent[]> {
  const res = await t.request('GET', `/api/v1/workspaces/${workspaceId}/events?type=${type}&limit=200`, { token: user.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as RecordedEvent[];
}

/** Lists through the API and answers the ids listed. */
export async function listedIds(t: TestApp, user: TestUser, path: string): Promise<string[]> {
  const res = await t.request('GET', path, { token: user.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as { id: string }[]).map((item) => item.id);
}

/** An event as the events API answers it, with the fields these tests read. */
export interface RecordedEvent {
  id: string;
  type: string;
  resourceId: string;
  actor: { type: string; id: string };
  data: Record<string, unknown>;
}

/** What the personal-token, workspace-token and agent lists say about a token's expiry and use. */
export interface ListedHygiene {
  id: string;
  name: string;
  stale: boolean;
  expiresInDays: number | null;
  token: { stale: boolean; expiresInDays: number | null } | null;
}

/** The items of a list answer. */
export function listedItems(res: { body: { items: unknown } }): ListedHygiene[] {
  return res.body.items as ListedHygiene[];
}
