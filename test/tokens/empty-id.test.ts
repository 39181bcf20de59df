import { expect, it } from 'vitest';
import { createUser, createWorkspace, expectError, login } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

describeEachDialect('An item URL with an empty id never reaches a collection', (app) => {
  it('refuses DELETE /tokens/ and DELETE /sessions/ (an item route with an empty id), and revokes nothing', async () => {
    const owner = await createUser(app());
    await createWorkspace(app(), owner);
    const tokens = await Promise.all(
      ['a', 'b'].map((name) => app().request('POST', '/api/v1/tokens', { token: owner.token, body: { name } })),
    );
    const otherSession = await login(app(), owner.email, owner.password);

    for (const url of ['/api/v1/tokens/', '/api/v1/sessions/']) {
      const refused = await app().request('DELETE', url, { token: owner.token });
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.fields).toEqual([{ field: 'id', message: expect.any(String) }]);
    }
    // The collections themselves take no DELETE either: revoking everything is its own request.
    expectError(await app().request('DELETE', '/api/v1/tokens', { token: owner.token }), 404, 'ROUTE_NOT_FOUND');
    expectError(await app().request('DELETE', '/api/v1/sessions', { token: owner.token }), 404, 'ROUTE_NOT_FOUND');

    for (const token of tokens) expect((await app().request('GET', '/api/v1/me', { token: token.body.token })).status).toBe(200);
    expect((await app().request('GET', '/api/v1/me', { token: otherSession })).status).toBe(200);
    const listed = await app().request('GET', '/api/v1/tokens', { token: owner.token });
    expect(listed.body.items.map((t: { status: string }) => t.status)).toEqual(['active', 'active']);
  });

  it('revokes all tokens, or ends the other sessions, only when asked by name', async () => {
    const owner = await createUser(app());
    await createWorkspace(app(), owner);
    const token = await app().request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'a' } });
    const otherSession = await login(app(), owner.email, owner.password);
    expectError(
      await app().request('POST', '/api/v1/tokens/revoke-all', { token: owner.token, body: { all: true } }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await app().request('POST', '/api/v1/tokens/revoke-all', { token: owner.token })).body).toEqual({ revoked: 1 });
    expectError(await app().request('GET', '/api/v1/me', { token: token.body.token }), 401, 'TOKEN_REVOKED');
    expect((await app().request('POST', '/api/v1/sessions/revoke-others', { token: owner.token })).body).toEqual({ ended: 1 });
    expect((await app().request('GET', '/api/v1/me', { token: otherSession })).status).toBe(401);
    expect((await app().request('GET', '/api/v1/me', { token: owner.token })).status).toBe(200);
  });
});
