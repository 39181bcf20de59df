import Fastify from 'fastify';
import { expect, it } from 'vitest';
import { registerErrorHandler } from '../../src/errors/handler.js';
import { createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';

/** Runs `work` behind the app's error handler, over HTTP, and answers what a client would get. */
async function answerOf(work: () => Promise<unknown>) {
  const probe = Fastify({ logger: false });
  registerErrorHandler(probe);
  probe.post('/probe', async () => {
    await work();
    return { done: true };
  });
  const url = await probe.listen({ port: 0, host: '127.0.0.1' });
  try {
    const res = await fetch(`${url}/probe`, { method: 'POST' });
    return { status: res.status, body: await res.json() };
  } finally {
    await probe.close();
  }
}

async function twoLabels(t: TestApp) {
  const owner = await createUser(t);
  const workspace = await createWorkspace(t, owner);
  const ids: string[] = [];
  for (const name of ['Left', 'Right']) {
    const res = await t.request('POST', `/api/v1/workspaces/${workspace.id}/labels`, { token: owner.token, body: { name } });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  const rows = await t.ctx.db.selectFrom('labels').selectAll().where('id', 'in', ids).orderBy('name').execute();
  return rows;
}

// Each database refuses these writes with its own error; past any service's own check (as a race leaves
// them) they must still answer a 409, never a 500.
describeEachDialect('a race no service foresaw answers 409 CONFLICT', (app) => {
  it('a unique index refusing a second row', async () => {
    const [left] = await twoLabels(app());
    const twin = { ...left!, id: `${left!.id}-twin` };
    expectError(await answerOf(() => app().ctx.db.insertInto('labels').values(twin).execute()), 409, 'CONFLICT');
  });

  it('a row referring to one deleted meanwhile', async () => {
    const [left] = await twoLabels(app());
    const orphan = { ...left!, id: `${left!.id}-orphan`, name: 'Orphan', workspace_id: 'wsp_deleted_meanwhile' };
    expectError(await answerOf(() => app().ctx.db.insertInto('labels').values(orphan).execute()), 409, 'CONFLICT');
  });

  it('two transactions locking the same rows in opposite order (PostgreSQL deadlock)', async (test) => {
    if (app().dialect !== 'postgres') test.skip();
    const [left, right] = await twoLabels(app());
    const db = app().ctx.db;
    // Each transaction locks its first row, waits until the other holds its own, then asks for the other's.
    let holding = 0;
    let holdOne!: () => void;
    const bothHoldOne = new Promise<void>((resolve) => {
      holdOne = () => {
        if (++holding === 2) resolve();
      };
    });
    const crossing = (first: string, second: string) =>
      db.transaction().execute(async (trx) => {
        await trx.updateTable('labels').set({ color: '#000001' }).where('id', '=', first).execute();
        holdOne();
        await bothHoldOne;
        await trx.updateTable('labels').set({ color: '#000002' }).where('id', '=', second).execute();
      });
    const answer = await answerOf(async () => {
      const outcomes = await Promise.allSettled([crossing(left!.id, right!.id), crossing(right!.id, left!.id)]);
      const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failure) throw failure.reason;
    });
    expectError(answer, 409, 'CONFLICT');
  });
});
