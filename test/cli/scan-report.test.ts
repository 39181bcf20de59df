import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Taskgate, TaskgateError } from '../../packages/client/src/index.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { runCli } from './run.js';

describeWithServer('taskgate scan --report', (server) => {
  it('sends the tokens found to the server, which revokes the live ones, and prints how many it examined', async () => {
    const { tg } = await userWithProject(server().url);
    const { token, id } = await tg.tokens.create({ name: 'committed by mistake' });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-scan-report-'));
    fs.writeFileSync(path.join(root, '.env'), `TASKGATE_TOKEN=${token}\n`);
    const leaked = new Taskgate({ baseUrl: server().url, token });
    expect((await leaked.me.get()).token).toMatchObject({ kind: 'personal' });

    const source = 'https://example.test/acme/site/blob/main/.env';
    const result = await runCli(['scan', '--report', '--source', source, root], { env: { TASKGATE_URL: server().url } });

    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe(`${root}/.env:1:16 personal ${token.slice(0, 10)}…\n`);
    expect(result.stderr).toContain(`Reported to ${server().url}: 1 examined`);
    expect(result.stdout + result.stderr).not.toContain(token);
    const refused = await leaked.me.get().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TaskgateError);
    expect((refused as TaskgateError).code).toBe('TOKEN_REVOKED');
    expect(await tg.tokens.get(id)).toMatchObject({ status: 'revoked', revokedReason: 'leaked' });
  });
});
