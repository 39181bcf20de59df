import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer('Web UI: the activity feed', (server) => {
  it.skipIf(!browserAvailable)(
    'shows who did what (person, token, agent), filters by type and actor in the URL, and follows live',
    async () => {
      const { user, workspace, project, tg } = await userWithProject(server().url);
      const task = await tg.tasks.create({ projectId: project.id, title: 'By hand' });
      const key = await tg.accessTokens.create(workspace.id, { label: 'CI', scope: 'team_member' });
      await new Taskgate({ baseUrl: server().url, token: key.token, retry: false }).tasks.create({
        projectId: project.id,
        title: 'From CI',
      });
      const { token } = await tg.agents.register(workspace.id, { name: 'Sweeper' });
      const bot = new Taskgate({ baseUrl: server().url, token, retry: false });
      await bot.tasks.claim(task.id);
      const browser = await signedInBrowser(server().url, user.email, user.password);
      const { page } = browser;
      const rows = page.getByRole('list', { name: 'Events' }).getByRole('listitem');
      try {
        await page.goto(`${server().url}/workspace/${workspace.id}/activity`);
        await rows.filter({ hasText: 'task.claimed' }).waitFor();
        expect(await rows.filter({ hasText: 'task.claimed' }).textContent()).toContain('by Sweeper (agent)');
        expect(await rows.filter({ hasText: 'From CI' }).first().textContent()).toContain('by CI (access token)');
        expect(await accessibilityViolations(page)).toEqual([]);
        await expectNoHorizontalScroll(page);
        await browser.screenshot(`activity-${server().dialect}`);

        await page.getByLabel('Actor').selectOption('agent');
        await expect
          .poll(async () => new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-actor-type')))), eventually)
          .toEqual(new Set(['agent']));
        await page.getByLabel('Event type').selectOption('task.completed');
        expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ actor: 'agent', type: 'task.completed' });
        await page.getByText('Nothing matches.').waitFor();

        // The agent completes the task elsewhere: the event shows up without a reload.
        await bot.tasks.complete(task.id, { resultNote: 'Swept' });
        await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
        expect(await rows.first().textContent()).toContain('by Sweeper (agent)');

        await page.reload();
        await expect.poll(() => rows.count(), eventually).toBe(1);
        await page.getByLabel('Actor').selectOption('workspace_token');
        await page.getByText('Nothing matches.').waitFor();
        await page.getByLabel('Event type').selectOption('task.created');
        await expect.poll(() => rows.allTextContents(), eventually).toEqual([expect.stringContaining('From CI')]);
        expectCleanConsole(browser);
      } finally {
        await browser.close();
      }
    },
  );
});
