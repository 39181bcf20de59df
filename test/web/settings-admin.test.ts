import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { accessibilityViolations, boardColumnOf, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer('Web UI: workspace settings and administration', (server) => {
  it.skipIf(!browserAvailable)('renames the workspace and edits its task statuses, which the board then shows', async () => {
    const { user, workspace, project, tg } = await userWithProject(server().url);
    await tg.tasks.create({ projectId: project.id, title: 'First' });
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}/settings`);
      await page.getByLabel('Workspace name').fill('Renamed space');
      await page.getByRole('button', { name: 'Rename' }).click();
      await page.getByRole('status').filter({ hasText: 'Renamed.' }).waitFor();
      expect((await tg.workspaces.get(workspace.id)).name).toBe('Renamed space');
      // Not an instance admin: the plan is shown, not changeable.
      expect(await page.getByRole('combobox', { name: 'Plan' }).isDisabled()).toBe(true);

      await page.getByLabel('Name of status 1').fill('Backlog');
      await page.getByRole('button', { name: 'Add status' }).click();
      await page.getByLabel('Name of status 5').fill('In review');
      await page.getByRole('button', { name: 'Move In review up' }).click();
      await page.getByRole('button', { name: 'Move In review up' }).click();
      expect(await page.getByRole('button', { name: 'Remove Done' }).isDisabled()).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`workspace-settings-${server().dialect}`);
      await page.getByRole('button', { name: 'Save statuses' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      expect((await tg.taskStatuses.list(workspace.id)).items).toEqual([
        { key: 'todo', name: 'Backlog' },
        { key: 'in_progress', name: 'In progress' },
        { key: 'in_review', name: 'In review' },
        { key: 'blocked', name: 'Blocked' },
        { key: 'done', name: 'Done' },
      ]);

      await page.goto(`${server().url}/workspace/${workspace.id}/projects/${project.id}`);
      await expect
        .poll(() => page.locator('[data-testid="board"] h2').allTextContents(), eventually)
        .toEqual(['Backlog 1', 'In progress 0', 'In review 0', 'Blocked 0', 'Done 0']);
      await page.getByRole('button', { name: 'First', exact: true }).focus();
      await page.keyboard.press('Alt+ArrowRight');
      await page.keyboard.press('Alt+ArrowRight');
      await expect.poll(() => boardColumnOf(page, 'First'), eventually).toBe('in_review');
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)("lets an instance admin find users and workspaces, block a user and set a workspace's plan", async () => {
    const { user, workspace, sessionToken } = await userWithProject(server().url);
    const { admin } = server();
    const browser = await signedInBrowser(server().url, admin.email, admin.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/admin`);
      await page.getByRole('link', { name: 'Admin' }).waitFor();
      // Every user and workspace of the instance is listed; the search narrows them on the server.
      await page.getByLabel('Find users by email or name').fill(user.email);
      await page.locator(`tr[data-user-id="${user.id}"]`).waitFor();
      await expect.poll(() => page.locator('tr[data-user-id]').count(), eventually).toBe(1);
      await page.getByRole('button', { name: `Block ${user.email}` }).click();
      await page.getByRole('button', { name: `Unblock ${user.email}` }).waitFor();
      await expect(new Taskgate({ baseUrl: server().url, token: sessionToken, retry: false }).me.get()).rejects.toMatchObject({
        status: 401,
      });

      await page.getByLabel('Find workspaces by name').fill(workspace.name);
      // Every test's workspace has this name: the row is found by its id.
      const workspaceRow = page.locator(`tr[data-workspace-id="${workspace.id}"]`);
      await workspaceRow.waitFor();
      await workspaceRow.getByRole('combobox', { name: `Plan of ${workspace.name}` }).selectOption('free');
      await page.getByRole('status').filter({ hasText: 'is now on the free plan.' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`admin-${server().dialect}`);
      await page.getByRole('button', { name: `Unblock ${user.email}` }).click();
      await page.getByRole('button', { name: `Block ${user.email}` }).waitFor();
      // Blocking ended the owner's sessions: the plan is read as the admin's list shows it (refetched after the change).
      await expect.poll(() => workspaceRow.getByRole('combobox').inputValue(), eventually).toBe('free');
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });
});
