import { expect, it } from 'vitest';
import { createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { auditActions, createToken, expireToken, tokenOwner } from './helpers.js';

describeEachDialect('personal tokens: audit log', (app) => {
  it('records create, edit, rotate, revoke and revoke-all with actor, IP and time, in the owner’s log only', async () => {
    const { owner } = await tokenOwner(app());
    const stranger = await createUser(app());
    const { id } = await createToken(app(), owner, { name: 'audited' });
    await app().request('PATCH', `/api/v1/tokens/${id}`, { token: owner.token, body: { name: 'audited 2' } });
    await app().request('POST', `/api/v1/tokens/${id}/rotate`, { token: owner.token });
    await app().request('DELETE', `/api/v1/tokens/${id}`, { token: owner.token });
    await app().request('POST', '/api/v1/tokens/revoke-all', { token: owner.token });

    const res = await app().request('GET', '/api/v1/me/audit-log', { token: owner.token });
    expect(res.status).toBe(200);
    // Ids order entries to the millisecond; compare as a set so two writes in one millisecond cannot flake.
    const tokenEntries = res.body.items.filter((e: any) => e.targetType !== 'session'); // signing in is audited too
    expect(tokenEntries.map((e: any) => e.action).sort()).toEqual([
      'token.created',
      'token.revoked',
      'token.revoked_all',
      'token.rotated',
      'token.updated',
    ]);
    for (const entry of res.body.items) {
      expect(entry.actor).toEqual({ type: 'user', id: owner.id });
      expect(entry.ip).toBe('127.0.0.1');
      expect(Date.now() - Date.parse(entry.createdAt)).toBeLessThan(60_000);
    }
    expect(res.body.items.find((e: any) => e.action === 'token.created')).toMatchObject({
      targetType: 'personal_token',
      targetId: id,
      details: { name: 'audited' },
    });
    expect(res.body.items.find((e: any) => e.action === 'token.updated').details).toMatchObject({ changed: ['name'], name: 'audited 2' });
    expect(res.text).not.toMatch(/tgp_|hash/);
    const strangers = (await app().request('GET', '/api/v1/me/audit-log', { token: stranger.token })).body.items;
    expect(strangers.filter((e: any) => e.targetType !== 'session')).toEqual([]);
  });

  it('pages through the log with a cursor', async () => {
    const { owner } = await tokenOwner(app());
    // Signing in wrote the first entry (session.created): two tokens make three.
    for (let i = 0; i < 2; i++) await createToken(app(), owner);
    const first = await app().request('GET', '/api/v1/me/audit-log?limit=2', { token: owner.token });
    const rest = await app().request('GET', `/api/v1/me/audit-log?limit=2&cursor=${first.body.nextCursor}`, { token: owner.token });
    expect(first.body.items).toHaveLength(2);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    expectError(await app().request('GET', '/api/v1/me/audit-log?limit=0', { token: owner.token }), 400, 'VALIDATION_FAILED');
  });

  it('records refused uses of revoked and expired tokens, at most once per token per minute', async () => {
    const { owner } = await tokenOwner(app());
    const revoked = await createToken(app(), owner);
    const expired = await createToken(app(), owner);
    await app().request('DELETE', `/api/v1/tokens/${revoked.id}`, { token: owner.token });
    await expireToken(app(), expired.id);
    for (let i = 0; i < 5; i++) {
      expectError(await app().request('GET', '/api/v1/me', { token: revoked.token }), 401, 'TOKEN_REVOKED');
      expectError(await app().request('GET', '/api/v1/me', { token: expired.token }), 401, 'TOKEN_EXPIRED');
    }
    const refused = await app()
      .ctx.db.selectFrom('audit_log')
      .selectAll()
      .where('user_id', '=', owner.id)
      .where('action', '=', 'token.use_refused')
      .orderBy('id')
      .execute();
    expect(refused).toHaveLength(2);
    expect(refused.map((r) => [r.target_id, JSON.parse(r.details).reason])).toEqual(
      expect.arrayContaining([
        [revoked.id, 'revoked'],
        [expired.id, 'expired'],
      ]),
    );
    expect(refused.every((r) => r.ip === '127.0.0.1')).toBe(true);
  });

  it('does not audit ordinary successful uses', async () => {
    const { owner } = await tokenOwner(app());
    const { token } = await createToken(app(), owner);
    for (let i = 0; i < 3; i++) await app().request('GET', '/api/v1/me', { token });
    expect((await auditActions(app(), owner.id)).filter((action) => !action.startsWith('session.'))).toEqual(['token.created']);
  });
});
