import { expect, it } from 'vitest';
import { createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

describeEachDialect('Query parameters take one spelling per value', (app) => {
  it('refuses numbers and booleans written any other way than plainly, and changes nothing', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const base = `/api/v1/projects?workspaceId=${workspace.id}`;
    for (const limit of ['1.5', '1e2', '0x10', '+5', ' 5', '5 ', '05', '', 'five', '-0x1']) {
      expectError(
        await app().request('GET', `${base}&limit=${encodeURIComponent(limit)}`, { token: owner.token }),
        400,
        'VALIDATION_FAILED',
      );
    }
    for (const flag of ['TRUE', 'True', '1', 'yes', 'on', '']) {
      expectError(
        await app().request('GET', `${base}&includeArchived=${encodeURIComponent(flag)}`, { token: owner.token }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const repeated = await app().request('GET', `${base}&limit=5&limit=6`, { token: owner.token });
    expectError(repeated, 400, 'VALIDATION_FAILED');
  });

  it('accepts the plain spellings', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    for (const query of ['limit=5', 'limit=200', 'includeArchived=true', 'includeArchived=false', 'limit=1&includeArchived=true']) {
      const res = await app().request('GET', `/api/v1/projects?workspaceId=${workspace.id}&${query}`, { token: owner.token });
      expect(res.status, `${query}: ${res.text}`).toBe(200);
    }
  });
});
