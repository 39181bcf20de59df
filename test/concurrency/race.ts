import { expect } from 'vitest';
import type { TestUser, TestWorkspace } from '../helpers/factories.js';
import type { HttpResult, TestApp } from '../helpers/harness.js';

/** How many duplicates each case sends at once. */
export const PARALLEL = 8;

/** An answer the losers of a race may get: a documented status and, for refusals, its code. */
interface Refusal {
  status: number;
  code?: string;
}

/** One race, ready to run against a fresh tenant. */
export interface PreparedRace {
  /** One function per parallel request (the same request repeated, or one per contender). */
  senders: Array<() => Promise<HttpResult>>;
  /** The winner's status. */
  winner: number;
  /** What every other request answers (the winner's own status when repeating the request changes nothing). */
  losers: Refusal;
  /** How many records (events or audit entries) of each kind the race left for its resource: the test wants one of each. */
  records(): Promise<Record<string, number>>;
}

/** A row of the race table: a route hit by parallel duplicates. */
export interface RaceCase {
  name: string;
  prepare(t: TestApp): Promise<PreparedRace>;
}

/** The same request `PARALLEL` times. */
export function duplicates(send: () => Promise<HttpResult>): Array<() => Promise<HttpResult>> {
  return Array.from({ length: PARALLEL }, () => send);
}

/** Events of one type (about one resource, when given), as the workspace's event history lists them. */
export async function eventCount(
  t: TestApp,
  reader: TestUser,
  workspace: TestWorkspace,
  type: string,
  resourceId?: string,
): Promise<number> {
  const res = await t.request('GET', `/api/v1/workspaces/${workspace.id}/events?type=${encodeURIComponent(type)}&limit=100`, {
    token: reader.token,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as Array<{ resourceId: string }>).filter((e) => resourceId === undefined || e.resourceId === resourceId).length;
}

/** Audit entries of one action about one target (for changes that record an audit entry, not an event). */
export async function auditCount(t: TestApp, action: string, targetId: string): Promise<number> {
  const rows = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', action).where('target_id', '=', targetId).execute();
  return rows.length;
}

/** Sends every request at once; asserts one winner, the documented answer for the rest, and one record. */
export async function runRace(race: PreparedRace): Promise<void> {
  const answers = await Promise.all(race.senders.map((send) => send()));
  const summary = JSON.stringify(answers.map((a) => [a.status, a.body?.code]));
  const byStatus = (a: number, b: number) => a - b;
  const expected = [race.winner, ...answers.slice(1).map(() => race.losers.status)].sort(byStatus);
  expect(answers.map((a) => a.status).sort(byStatus), summary).toEqual(expected);
  if (race.losers.code) {
    for (const answer of answers.filter((a) => a.status !== race.winner)) expect(answer.body.code, summary).toBe(race.losers.code);
  }
  const records = await race.records();
  expect(records, summary).toEqual(Object.fromEntries(Object.keys(records).map((kind) => [kind, 1])));
}
