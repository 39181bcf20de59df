import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import {
  accessibilityViolations,
  boardColumnOf,
  eventually,
  expectCleanConsole,
  expectNoHorizontalScroll,
  phoneScreenshot,
  signedInBrowser,
} from './ui.js';

describeWithServer("Web UI: a project's board and list", (server) => {
  it.skipIf(!browserAvailable)('creates a task, renders its markdown safely, and moves it by drag, by keyboard and by menu', async () => {
    const { user, workspace, project, tg } = await userWithProject(server().url);
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}/projects/${project.id}`);
      await page.getByRole('heading', { name: 'To do' }).waitFor();
      await page.getByRole('button', { name: 'New task' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Title').fill('Ship the board');
      await dialog
        .getByLabel('Description')
        .fill('Make it **fast**.\n\n<img src=x onerror="window.pwned=1"> and <script>window.pwned=1</script>');
      await dialog.getByLabel('Priority').selectOption('high');
      await dialog.getByRole('button', { name: 'Create task' }).click();
      await expect.poll(() => boardColumnOf(page, 'Ship the board'), eventually).toBe('todo');
      const [task] = await tg.tasks.list({ projectId: project.id }).all();
      expect(task).toMatchObject({ title: 'Ship the board', priority: 'high', status: 'todo' });

      // Opened, its description is rendered as markdown, and its HTML as text.
      await page.getByRole('button', { name: 'Ship the board', exact: true }).click();
      const rendered = page.getByRole('dialog').getByRole('region', { name: 'Description' });
      await rendered.locator('strong', { hasText: 'fast' }).waitFor();
      expect(await rendered.textContent()).toContain('<img src=x onerror="window.pwned=1">');
      expect(await rendered.locator('img, script').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`task-dialog-${server().dialect}`);
      await page.keyboard.press('Escape');

      // By drag and drop…
      const card = page.locator(`[data-task-id="${task!.id}"]`);
      await card.dragTo(page.locator('section[data-status="in_progress"] ul'));
      await expect.poll(() => boardColumnOf(page, 'Ship the board'), eventually).toBe('in_progress');
      await expect.poll(async () => (await tg.tasks.get(task!.id)).status, eventually).toBe('in_progress');

      // …by keyboard: the focus stays on the card in its new column…
      await page.getByRole('button', { name: 'Ship the board', exact: true }).focus();
      await page.keyboard.press('Alt+ArrowRight');
      await expect.poll(() => boardColumnOf(page, 'Ship the board'), eventually).toBe('blocked');
      await expect.poll(async () => (await tg.tasks.get(task!.id)).status, eventually).toBe('blocked');
      await page.getByRole('status').filter({ hasText: 'Moved “Ship the board” to Blocked.' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ship the board');
      await page.keyboard.press('Alt+ArrowLeft');
      await expect.poll(async () => (await tg.tasks.get(task!.id)).status, eventually).toBe('in_progress');

      // …and through its menu, by keyboard too.
      await page.getByRole('button', { name: 'Move “Ship the board”' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('menuitem', { name: 'Done' }).waitFor();
      await page.keyboard.press('ArrowDown');
      await page.getByRole('menuitem', { name: 'Done' }).click();
      await expect.poll(() => boardColumnOf(page, 'Ship the board'), eventually).toBe('done');
      await expect.poll(async () => (await tg.tasks.get(task!.id)).status, eventually).toBe('done');

      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`board-${server().dialect}`);
      await phoneScreenshot(browser, `board-375-${server().dialect}`);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('moves a card live when an agent claims and completes its task through the API', async () => {
    const { user, workspace, project, tg } = await userWithProject(server().url);
    const task = await tg.tasks.create({ projectId: project.id, title: 'Index the docs' });
    const { token } = await tg.agents.register(workspace.id, { name: 'Build bot' });
    const bot = new Taskgate({ baseUrl: server().url, token, retry: false });
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}/projects/${project.id}`);
      await expect.poll(() => boardColumnOf(page, 'Index the docs'), eventually).toBe('todo');
      // Nothing reloads the page from here on: the marker would be gone.
      await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

      await bot.tasks.claim(task.id);
      await expect.poll(() => boardColumnOf(page, 'Index the docs'), { timeout: 15_000 }).toBe('in_progress');
      const card = page.locator(`[data-task-id="${task.id}"]`);
      await expect.poll(() => card.getByTestId('claimed-by').textContent(), eventually).toBe('Claimed by Build bot (agent)');

      await bot.tasks.complete(task.id, { resultNote: 'Indexed **42** pages' });
      await expect.poll(() => boardColumnOf(page, 'Index the docs'), { timeout: 15_000 }).toBe('done');
      await expect.poll(() => card.getByTestId('last-change').textContent(), eventually).toMatch(/^Changed by Build bot \(agent\)/);
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

      // The result note, rendered, and the reopen.
      await page.getByRole('button', { name: 'Index the docs', exact: true }).click();
      await page.getByRole('region', { name: 'Result note' }).locator('strong', { hasText: '42' }).waitFor();
      await browser.screenshot(`board-live-${server().dialect}`);
      await page.getByRole('button', { name: 'Reopen' }).click();
      await expect.poll(async () => (await tg.tasks.get(task.id)).status, eventually).toBe('todo');
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('keeps the filters and the sort in the URL, and explains a stale edit with the fresh version', async () => {
    const { user, workspace, project, tg } = await userWithProject(server().url);
    const mine = await tg.tasks.create({
      projectId: project.id,
      title: 'Write the release notes',
      priority: 'urgent',
      dueAt: '2030-03-10T12:00:00Z',
    });
    await tg.tasks.assign(mine.id, { userId: user.id });
    await tg.tasks.create({ projectId: project.id, title: 'Write the blog post', priority: 'urgent', dueAt: '2030-01-10T12:00:00Z' });
    await tg.tasks.create({ projectId: project.id, title: 'Fix the login bug', priority: 'low' });
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}/projects/${project.id}?view=list`);
      await expect.poll(() => page.locator('tbody tr').count(), eventually).toBe(3);
      await page.getByLabel('Priority').selectOption('urgent');
      await page.getByLabel('Search').fill('write');
      await expect.poll(() => page.locator('tbody tr').count(), eventually).toBe(2);
      await page.getByRole('button', { name: /^Due/ }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('sort'), eventually).toBe('dueAt');
      await expect
        .poll(() => page.locator('tbody tr td:first-child').allTextContents(), eventually)
        .toEqual(['Write the blog post', 'Write the release notes']);
      // A due range: until 1 February 2030 keeps the blog post only.
      await page.getByLabel('Due until').fill('2030-02-01');
      await expect.poll(() => page.locator('tbody tr td:first-child').allTextContents(), eventually).toEqual(['Write the blog post']);
      expect(new URL(page.url()).searchParams.get('dueTo')).toBe('2030-02-01');
      await page.getByLabel('Due until').fill('');
      await page.getByLabel('Assignee').selectOption('me');
      await expect.poll(() => page.locator('tbody tr').count(), eventually).toBe(1);
      const params = new URL(page.url()).searchParams;
      expect(Object.fromEntries(params)).toEqual({ view: 'list', priority: 'urgent', q: 'write', sort: 'dueAt', assignee: 'me' });

      // A reload (or a shared link) shows the same view.
      await page.reload();
      await expect.poll(() => page.locator('tbody tr td:first-child').allTextContents(), eventually).toEqual(['Write the release notes']);
      expect(await page.getByLabel('Priority').inputValue()).toBe('urgent');
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`task-list-${server().dialect}`);

      // Someone else saves while this form is being edited: the save is refused and explained.
      await page.getByRole('button', { name: 'Write the release notes' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Title').fill('Write the release notes for 2.0');
      await tg.tasks.update(mine.id, { title: 'Release notes (taken over)', status: 'blocked' }, { ifMatch: mine.version + 1 });
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      const alert = dialog.getByRole('alert').filter({ hasText: 'This task changed while you were editing it' });
      await alert.waitFor();
      expect(await dialog.getByTestId('fresh-title').textContent()).toBe('Release notes (taken over)');
      expect(await alert.textContent()).toContain('Blocked');
      await browser.screenshot(`stale-edit-${server().dialect}`);
      // The refused save is the one failed request this test expects.
      expectCleanConsole(browser, /412/);
      browser.problems.length = 0;
      await dialog.getByRole('button', { name: 'Load the current version' }).click();
      expect(await dialog.getByLabel('Title').inputValue()).toBe('Release notes (taken over)');
      await dialog.getByLabel('Title').fill('Release notes 2.0');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(async () => (await tg.tasks.get(mine.id)).title, eventually).toBe('Release notes 2.0');
      expect((await tg.tasks.get(mine.id)).status).toBe('blocked');

      await dialog.getByRole('button', { name: 'Delete…' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete task' }).click();
      await expect.poll(() => page.getByRole('alertdialog').count(), eventually).toBe(0);
      await expect.poll(() => page.getByRole('dialog').count(), eventually).toBe(0);
      await expect
        .poll(
          () =>
            tg.tasks.get(mine.id).then(
              () => 200,
              (e: { status: number }) => e.status,
            ),
          eventually,
        )
        .toBe(404);
      await expect.poll(() => page.locator('tbody tr').count(), eventually).toBe(0);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });
});
