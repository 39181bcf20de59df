import { expect, it } from 'vitest';
import { Taskgate, TaskgateError } from '../../packages/client/src/index.js';
import { describeWithServer, signedInUser, userWithProject } from '../client/server.js';
import { runCli } from './run.js';

describeWithServer('taskgate token-inventory: list, filter and revoke every token that reaches a workspace', (server) => {
  it("lists members' personal tokens masked beside the workspace's keys and agents, filters them, and revokes one", async () => {
    const owner = await userWithProject(server().url);
    const member = await signedInUser(server().url, 'Mia Member');
    const invitation = await owner.tg.invitations.create(owner.workspace.id, { email: member.user.email, role: 'administrator' });
    await member.tg.invitations.accept(invitation.id);
    const personal = await member.tg.tokens.create({ name: 'member laptop' });
    const key = await owner.tg.accessTokens.create(owner.workspace.id, { label: 'nightly', scope: 'viewer' });
    const bot = await owner.tg.agents.register(owner.workspace.id, { name: 'Bot' });
    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: owner.sessionToken };
    const inWorkspace = ['--workspace', owner.workspace.id];

    const table = await runCli(['token-inventory', 'list', ...inWorkspace], { env });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^KIND\s+ID\s+NAME\s+TOKEN\s+OWNER\s+CREATED BY\s+STATUS\s+LAST USED\s+EXPIRES IN\s+STALE$/m);
    expect(table.stdout).toMatch(
      new RegExp(`^personal\\s+${personal.id}\\s+member laptop\\s+${personal.token.slice(0, 10)}…\\s+${member.user.email}\\s`, 'm'),
    );
    expect(table.stdout).toMatch(new RegExp(`^workspace\\s+${key.id}\\s+nightly\\s`, 'm'));
    expect(table.stdout).toMatch(/^agent\s+\S+\s+Bot\s/m);
    for (const secret of [personal.token, key.token, bot.token]) expect(table.stdout).not.toContain(secret);

    const json = async (...args: string[]) => {
      const result = await runCli(['token-inventory', 'list', ...inWorkspace, '--json', ...args], { env });
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as Array<{ id: string }>).map((item) => item.id);
    };
    expect(await json('--kind', 'personal')).toEqual([personal.id]);
    expect(await json('--created-by', member.user.id)).toEqual([personal.id]);
    expect(await json('--kind', 'workspace', '--status', 'active')).toEqual([key.id]);
    expect(await json('--status', 'revoked')).toEqual([]);
    expect(await json('--stale')).toEqual([]);

    const revoked = await runCli(['token-inventory', 'revoke', 'personal', personal.id, ...inWorkspace, '--json'], { env });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ kind: 'personal', id: personal.id, status: 'revoked' });
    expect(await json('--status', 'revoked')).toEqual([personal.id]);
    const refused = await new Taskgate({ baseUrl: server().url, token: personal.token }).me.get().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TaskgateError);
    expect(refused).toMatchObject({ status: 401, code: 'TOKEN_REVOKED' });

    // A member below owner is told which permission they lack; a kind the inventory does not know is a usage error.
    const asMember = await runCli(['token-inventory', 'list', ...inWorkspace], {
      env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: member.sessionToken },
    });
    expect(asMember.code).toBe(1);
    expect(asMember.stderr).toContain('tokens:inventory');
    const badKind = await runCli(['token-inventory', 'revoke', 'session', personal.id, ...inWorkspace], { env });
    expect(badKind.code).toBe(2);
  });
});
