import { Taskgate } from '@taskgate/client';
import { expect, it } from 'vitest';
import { describeWithServer, userWithProject } from '../client/server.js';
import { runCli } from './run.js';

describeWithServer('taskgate auth permissions and tg.me.permissions', (server) => {
  it('explains a narrowed token through the client, and as a table and JSON in the CLI', async () => {
    const { tg, workspace, project } = await userWithProject(server().url);
    const issued = await tg.tokens.create({ name: 'narrow', permissions: ['tasks:read'], projectIds: [project.id] });
    const asToken = new Taskgate({ baseUrl: server().url, token: issued.token });

    const explained = await asToken.me.permissions({ workspaceId: workspace.id, projectId: project.id });
    expect(explained.effective).toEqual(['tasks:read']);
    expect(explained.permissions.find((p) => p.name === 'tasks:create')?.refusedBy).toBe('token_permissions');
    const denied = await asToken.tasks.create({ projectId: project.id, title: 'Not allowed' }).catch((error: unknown) => error);
    expect(denied).toMatchObject({ status: 403, missingPermission: 'tasks:create', refusedBy: 'token_permissions' });

    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: issued.token };
    const table = await runCli(['auth', 'permissions', '--workspace', workspace.id, '--project', project.id], { env });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^PERMISSION\s+EFFECTIVE\s+REFUSED BY$/m);
    expect(table.stdout).toMatch(/^tasks:read\s+yes\s*$/m);
    expect(table.stdout).toMatch(/^tasks:create\s+no\s+token_permissions$/m);
    expect(table.stdout).toMatch(/^workspace:write\s+no\s+project_restriction$/m);
    expect(table.stdout).toContain(`project_restriction (projects ${project.id})`);

    const json = await runCli(['auth', 'permissions', '--workspace', workspace.id, '--json'], { env });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ workspaceId: workspace.id, projectId: null, credential: 'personal_token' });

    const refused = await runCli(['tasks', 'create', '--project', project.id, '--title', 'No'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('tasks:create permission (refused by token_permissions');

    const missing = await runCli(['auth', 'permissions', '--workspace', 'wsp_missing'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not found');
  });
});
