import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer('Web UI: a token’s details (effective permissions, usage, narrowing)', (server) => {
  it.skipIf(!browserAvailable)('explains a personal token layer by layer and narrows it to what it used', async () => {
    const { tg, user, workspace, project } = await userWithProject(server().url);
    const token = await tg.tokens.create({
      name: 'Reporting script',
      permissions: ['tasks:read', 'tasks:create', 'projects:read'],
      projectIds: [project.id],
    });
    // It reads tasks, and nothing else, before anyone looks.
    const script = new Taskgate({ baseUrl: server().url, token: token.token, retry: false });
    expect(await script.tasks.list({ projectId: project.id }).all()).toEqual([]);

    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/settings/tokens`);
      await page.getByRole('button', { name: 'Reporting script', exact: true }).click();
      const details = page.getByRole('dialog', { name: '“Reporting script”' });
      await details.waitFor();
      expect(await details.getByLabel('In workspace').inputValue()).toBe(workspace.id);

      // Every layer, and each permission's verdict with the layer that removes it.
      const permissions = details.getByRole('region', { name: 'Effective permissions' });
      await expect.poll(() => permissions.locator('[data-permission="tasks:read"]').textContent(), eventually).toContain('Allowed');
      expect(await permissions.locator('[data-layer="token_permissions"]').textContent()).toBe(
        'Token permissionsLets 3 permissions through',
      );
      expect(await permissions.locator('[data-layer="role"]').textContent()).toMatch(/^RoleOwner: lets \d+ permissions through$/);
      expect(await permissions.locator('[data-permission="tasks:delete"]').textContent()).toContain('Refused by Token permissions');
      // Workspace-wide, the project restriction removes project permissions; in its project it does not.
      expect(await permissions.locator('[data-layer="project_restriction"]').textContent()).toContain('Only 1 project');
      await details.getByLabel('In project').selectOption(project.id);
      await expect.poll(() => permissions.locator('[data-permission="tasks:create"]').textContent(), eventually).toContain('Allowed');
      const explained = await tg.api.GET('/api/v1/tokens/{id}/permissions', {
        params: { path: { id: token.id }, query: { workspaceId: workspace.id, projectId: project.id } },
      });
      expect(await permissions.locator('p').first().textContent()).toContain(`It may do ${explained.data!.effective.length} of`);

      // Usage: one of three permissions used; narrowing previews, then applies on confirm.
      const usage = details.getByRole('region', { name: 'Usage in the last 30 days' });
      await expect.poll(() => usage.getByTestId('usage-summary').textContent(), eventually).toMatch(/it used 1 of its 3 permissions/);
      expect(await usage.locator('[data-permission="tasks:create"]').textContent()).toContain('Never used in 30 days');
      expect(await usage.locator('[data-permission="tasks:read"]').textContent()).toMatch(/tasks:read1\d{4}-\d{2}-\d{2}/);
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`token-details-personal-${server().dialect}`);
      await usage.getByRole('button', { name: 'Narrow to what it used' }).click();
      const preview = usage.getByRole('region', { name: 'Narrowing preview' });
      await expect.poll(() => preview.textContent(), eventually).toContain('Permissions removed: tasks:create, projects:read');
      expect(await preview.textContent()).toContain('Permissions kept: tasks:read');
      // A preview changes nothing.
      expect((await tg.tokens.get(token.id)).permissions).toEqual(['tasks:read', 'tasks:create', 'projects:read']);
      await browser.screenshot(`token-details-narrow-preview-${server().dialect}`);
      await preview.getByRole('button', { name: 'Apply' }).click();
      await usage.getByText('Narrowed: 2 permissions and 0 projects removed.').waitFor();
      expect((await tg.tokens.get(token.id)).permissions).toEqual(['tasks:read']);
      await expect.poll(() => usage.getByTestId('usage-summary').textContent(), eventually).toMatch(/it used 1 of its 1 permissions/);
      expect(await usage.getByRole('button', { name: 'Narrow to what it used' }).count()).toBe(0);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('tbody tr', { hasText: 'Reporting script' }).textContent(), eventually).toContain('tasks:read');
      await expectNoHorizontalScroll(page);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('explains a workspace token by its scope and an agent by its matrix, and tells unused ones', async () => {
    const { tg, user, workspace } = await userWithProject(server().url);
    await tg.accessTokens.create(workspace.id, { label: 'Nightly export', scope: 'team_member' });
    await tg.agents.register(workspace.id, { name: 'Triage bot' });
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}/access-tokens`);
      await page.getByRole('button', { name: 'Nightly export', exact: true }).click();
      const details = page.getByRole('dialog', { name: '“Nightly export”' });
      const permissions = details.getByRole('region', { name: 'Effective permissions' });
      await expect
        .poll(() => permissions.locator('[data-layer="role"]').textContent(), eventually)
        .toMatch(/^RoleTeam Member: lets \d+ permissions through$/);
      expect(await permissions.locator('[data-permission="tasks:create"]').textContent()).toContain('Allowed');
      expect(await permissions.locator('[data-permission="members:write"]').textContent()).toContain('Refused by Role');
      const usage = details.getByRole('region', { name: 'Usage in the last 30 days' });
      await expect.poll(() => usage.textContent(), eventually).toContain('Never used in these 30 days: revoke it if nothing needs it.');
      expect(await usage.getByRole('button', { name: 'Narrow to what it used' }).count()).toBe(0);
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`token-details-access-token-${server().dialect}`);
      await page.keyboard.press('Escape');

      await page.goto(`${server().url}/workspace/${workspace.id}/agents`);
      await page.getByRole('button', { name: 'Triage bot', exact: true }).click();
      const agent = page.getByRole('dialog', { name: '“Triage bot”' });
      const matrix = agent.getByRole('region', { name: 'Effective permissions' });
      await expect.poll(() => matrix.locator('[data-layer="agent_matrix"]').textContent(), eventually).toMatch(/^Agent matrix/);
      expect(await matrix.locator('[data-permission="tasks:read"]').textContent()).toContain('Allowed');
      expect(await matrix.locator('[data-permission="members:write"]').textContent()).toMatch(/Refused by/);
      await expect.poll(() => agent.getByTestId('usage-summary').textContent(), eventually).toMatch(/it used 0 of its \d+ permissions/);
      expect(await agent.getByRole('button', { name: 'Narrow to what it used' }).count()).toBe(0);
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`token-details-agent-${server().dialect}`);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });
});
