import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken, tokenOwner, tokenRow } from '../tokens/helpers.js';

describeEachDialect('batched last use: one kind failing to write', (app) => {
  it('still writes the other kinds, keeps the failed kind for the next flush, and counts the failure', async () => {
    const { owner } = await tokenOwner(app());
    const { id, token } = await createToken(app(), owner);
    const usage = app().ctx.usage;
    await usage.flush();

    // A kind whose writes fail, buffered ahead of the personal token's use (kinds flush in the order
    // they were first touched).
    let failing = true;
    usage.register('always-failing', async () => {
      if (failing) throw new Error('the table is locked');
    });
    usage.touch('always-failing', 'credential-1', '127.0.0.1');
    expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
    const failuresBefore = usage.stats.failures;

    await expect(usage.flush()).rejects.toThrow('the table is locked');

    expect((await tokenRow(app(), id)).last_used_at).not.toBeNull();
    expect(usage.stats.failures).toBe(failuresBefore + 1);
    expect(usage.pendingCount()).toBe(1);

    failing = false;
    await usage.flush();
    expect(usage.pendingCount()).toBe(0);
  });
});
