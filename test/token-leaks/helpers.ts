import type { RecordedEvent } from '../credentials/warning-helpers.js';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/harness.js';

export const LEAKS_PATH = '/api/v1/token-leaks';

/** Reports `strings` as a scanner would (no credentials) and checks the one answer every report gets. */
export async function reportLeak(t: TestApp, strings: string[], source?: string): Promise<number> {
  const res = await t.request('POST', LEAKS_PATH, { body: source === undefined ? { strings } : { strings, source } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(Object.keys(res.body)).toEqual(['examined']);
  return res.body.examined as number;
}

/** The audit entries `token.leaked` about one credential. */
export function leakAudits(t: TestApp, targetId: string) {
  return t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.leaked').where('target_id', '=', targetId).execute();
}

/** The `token.leaked` events of one workspace, from the events API. */
export async function leakEvents(t: TestApp, token: string, workspaceId: string): Promise<RecordedEvent[]> {
  const res = await t.request('GET', `/api/v1/workspaces/${workspaceId}/events?type=token.leaked`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as RecordedEvent[];
}
