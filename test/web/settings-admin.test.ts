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
        { key: 'todo', name: 'Backlog' }, { key: 'in_progress', name: 'In progress' }, { key: 'in_review', name: 'In review' },
        { key: 'blocked', name: 'Blocked' }, { key: 'done', name: 'Done' },
      ]);

      await page.goto(`${server().url}/workspace/${workspace.id}/projects/${project.id}`);
      await expect.poll(() => page.locator('[data-testid="board"] h2').allTextContents(), eventually).toEqual(['Backlog 1', 'In progress 0', 'In review 0', 'Blocked 0', 'Done 0']);
      await page.getByRole('button', { name: 'First', exact: true }).focus();
      await page.keyboard.press('Alt+ArrowRight');
      await page.keyboard.press('Alt+ArrowRight');
      await expect.poll(() => boardColumnOf(page, 'First'), eventually).toBe('in_review');
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('lets an instance admin set a workspace\'s plan and block a user', async () => {
    const { user, workspace, sessionToken } = await userWithProject(server().url);
    const { admin } = server();
    const browser = await signedInBrowser(server().url, admin.email, admin.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/admin`);
      await page.getByRole('link', { name: 'Admin' }).waitFor();
      await page.getByLabel("Another workspace's id").fill(workspace.id);
      await page.getByLabel('Plan', { exact: true }).selectOption('free');
      await page.getByRole('button', { name: 'Set plan' }).click();
      await page.getByRole('status').filter({ hasText: 'Client workspace is now on the free plan.' }).waitFor();
      expect((await new Taskgate({ baseUrl: server().url, token: sessionToken }).workspaces.get(workspace.id)).plan).toBe('free');

      await page.getByLabel('User id').fill(user.id);
      await page.getByRole('button', { name: 'Block', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'is blocked.' }).waitFor();
      await expect(new Taskgate({ baseUrl: server().url, token: sessionToken, retry: false }).me.get()).rejects.toMatchObject({ status: 401 });
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`admin-${server().dialect}`);
      await page.getByRole('button', { name: 'Unblock' }).click();
      await page.getByRole('status').filter({ hasText: 'is not blocked.' }).waitFor();
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });
});
