import { expect, it } from 'vitest';
import { describeWithServer, userWithProject } from '../client/server.js';
import { runCli } from './run.js';

const DAY_MS = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

describeWithServer('taskgate token lists: expires in, --stale and --expiring', (server) => {
  it('shows how many days each token has left and whether it is stale, and filters by either', async () => {
    const { tg, sessionToken, workspace } = await userWithProject(server().url);
    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: sessionToken };
    const idle = await tg.tokens.create({ name: 'idle', expiresAt: new Date(Date.now() + 20 * DAY_MS + 3_600_000).toISOString() });
    const soon = await tg.tokens.create({ name: 'soon', expiresAt: new Date(Date.now() + 3 * DAY_MS + 3_600_000).toISOString() });
    await server().editRows((db) =>
      db
        .updateTable('personal_access_tokens')
        .set({ created_at: ago(100) })
        .where('id', '=', idle.id)
        .execute(),
    );

    const table = await runCli(['tokens', 'list'], { env });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME.*EXPIRES IN\s+STALE$/m);
    expect(table.stdout).toMatch(new RegExp(`^${idle.id}\\s.*\\s20d\\s+stale$`, 'm'));
    expect(table.stdout).toMatch(new RegExp(`^${soon.id}\\s.*\\s3d$`, 'm'));

    const stale = await runCli(['tokens', 'list', '--stale', '--json'], { env });
    expect(JSON.parse(stale.stdout).map((t: { id: string }) => t.id)).toEqual([idle.id]);
    const expiring = await runCli(['tokens', 'list', '--expiring', '--json'], { env });
    expect(JSON.parse(expiring.stdout)).toMatchObject([{ id: soon.id, expiresInDays: 3, stale: false }]);

    const key = await tg.accessTokens.create(workspace.id, { label: 'nightly', scope: 'viewer' });
    await server().editRows((db) =>
      db
        .updateTable('workspace_access_tokens')
        .set({ created_at: ago(95) })
        .where('id', '=', key.id)
        .execute(),
    );
    const keys = await runCli(['access-tokens', 'list', '--workspace', workspace.id, '--stale', '--json'], { env });
    expect(keys.code, keys.stderr).toBe(0);
    expect(JSON.parse(keys.stdout)).toMatchObject([{ id: key.id, stale: true }]);
  });
});
