import { expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, signedInUser } from '../client/server.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer("Web UI: a workspace's spaces and projects", (server) => {
  it.skipIf(!browserAvailable)('creates a space and a project from the sidebar, renames and archives them', async () => {
    const { tg, user } = await signedInUser(server().url);
    const workspace = await tg.workspaces.create({ name: 'Orbit' });
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    const sidebar = page.getByRole('navigation', { name: 'Spaces and projects' });
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}`);
      await page.getByRole('heading', { name: 'Orbit' }).waitFor();
      await sidebar.getByRole('button', { name: 'New space' }).click();
      await page.getByRole('dialog').getByLabel('Space name').fill('Engineering');
      await page.getByRole('dialog').getByRole('button', { name: 'Create space' }).click();
      await sidebar.getByText('Engineering').waitFor();

      await sidebar.getByRole('button', { name: 'Actions for space Engineering' }).click();
      await page.getByRole('menuitem', { name: 'New project…' }).click();
      await page.getByRole('dialog').getByLabel('Project name').fill('Launchpad');
      await page.getByRole('dialog').getByRole('button', { name: 'Create project' }).click();
      await sidebar.getByRole('link', { name: 'Launchpad' }).waitFor();
      // The overview lists it too.
      await page
        .getByRole('main')
        .getByRole('link', { name: /Launchpad/ })
        .last()
        .waitFor();

      await sidebar.getByRole('button', { name: 'Actions for project Launchpad' }).click();
      await page.getByRole('menuitem', { name: 'Rename…' }).click();
      await page.getByRole('dialog').getByLabel('Project name').fill('Liftoff');
      await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
      await sidebar.getByRole('link', { name: 'Liftoff' }).waitFor();
      const [project] = await tg.projects.list({ workspaceId: workspace.id }).all();
      expect(project).toMatchObject({ name: 'Liftoff', archived: false });

      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`workspace-${server().dialect}`);

      await sidebar.getByRole('button', { name: 'Actions for project Liftoff' }).click();
      await page.getByRole('menuitem', { name: 'Archive' }).click();
      await expect.poll(() => sidebar.getByRole('link', { name: 'Liftoff' }).count(), eventually).toBe(0);
      expect(await tg.projects.get(project!.id)).toMatchObject({ archived: true });
      await sidebar.getByLabel(/Show 1 archived project/).check();
      await sidebar.getByRole('link', { name: /Liftoff/ }).waitFor();

      await sidebar.getByRole('button', { name: 'Actions for space Engineering' }).click();
      await page.getByRole('menuitem', { name: 'Rename…' }).click();
      await page.getByRole('dialog').getByLabel('Space name').fill('Flight');
      await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
      await sidebar.getByText('Flight').waitFor();
      expect((await tg.spaces.list(workspace.id).all()).map((s) => s.name)).toEqual(['Flight']);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });
});
