import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { accessibilityViolations, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer('Web UI: sessions, agents and cross-site requests', (server) => {
  it.skipIf(!browserAvailable)('lists sessions, signs another device out, and leaves when signed out elsewhere', async () => {
    const { user, sessionToken: first } = await userWithProject(server().url);
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      const second = (await new Taskgate({ baseUrl: server().url }).auth.login({ email: user.email, password: user.password }))
        .sessionToken;
      const stillWorks = async (token: string) =>
        new Taskgate({ baseUrl: server().url, token, retry: false }).me.get().then(
          () => true,
          () => false,
        );
      await page.goto(`${server().url}/settings/sessions`);
      await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
      await page.getByText('This device').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`sessions-${server().dialect}`);
      // One other device…
      await page
        .locator('tbody tr', { hasNotText: 'This device' })
        .first()
        .getByRole('button', { name: /Sign out/ })
        .click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
      expect([await stillWorks(first), await stillWorks(second)].sort()).toEqual([false, true]);
      // …then all the others.
      await page.getByRole('button', { name: 'Sign out all other devices' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
      expect([await stillWorks(first), await stillWorks(second)]).toEqual([false, false]);

      // Signed out elsewhere: the next page this browser opens is the sign-in page.
      const elsewhere = await new Taskgate({ baseUrl: server().url }).auth.login({ email: user.email, password: user.password });
      await new Taskgate({ baseUrl: server().url, token: elsewhere.sessionToken }).sessions.revokeOthers();
      await page.goto(`${server().url}/settings/tokens`);
      await page.waitForURL('**/login**');
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('registers an agent whose token works, then revokes it', async () => {
    const { user, workspace, project, tg } = await userWithProject(server().url);
    const task = await tg.tasks.create({ projectId: project.id, title: 'For the bot' });
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}/agents`);
      await page.getByRole('button', { name: 'Register agent' }).click();
      await page.getByRole('dialog').getByLabel('Name').fill('Build bot');
      await page.getByRole('dialog').getByLabel('Description').fill('Fixes builds');
      await page.getByRole('dialog').getByRole('button', { name: 'Register agent' }).click();
      const token = await page.getByLabel('Secret', { exact: true }).inputValue();
      expect(token).toMatch(/^tga_/);
      await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
      const bot = new Taskgate({ baseUrl: server().url, token, retry: false });
      expect(await bot.tasks.claim(task.id)).toMatchObject({ claimedBy: { type: 'agent' } });
      await page.reload();
      const row = page.locator('tr', { hasText: 'Build bot' });
      await expect.poll(() => row.locator('td').nth(4).textContent()).toBe('1');
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`agents-${server().dialect}`);

      await row.getByRole('button', { name: 'Actions for Build bot' }).click();
      await page.getByRole('menuitem', { name: 'Revoke its token' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke token' }).click();
      await expect.poll(() => row.textContent()).toContain('Revoked');
      await expect(bot.tasks.get(task.id)).rejects.toMatchObject({ status: 401 });
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('refuses a cross-site POST that carries the session cookie', async () => {
    const { user, tg } = await userWithProject(server().url);
    // A page on another origin posts a form to the server; the browser attaches the cookie.
    const attacker = http.createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<form id="f" method="POST" action="${server().url}/api/v1/workspaces" enctype="text/plain">` +
            '<input name=\'{"name":"Hijacked","x":"\' value=\'"}\'></form><script>document.getElementById("f").submit()</script>',
        );
    });
    // Same site (another port of the same host), another origin: the browser sends the Lax cookie along.
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const browser = await signedInBrowser(server().url, user.email, user.password);
    try {
      const answer = browser.page.waitForResponse((r) => r.url().startsWith(`${server().url}/api/v1/workspaces`));
      await browser.page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      const response = await answer;
      expect(response.status()).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'CSRF_REJECTED' });
      expect((await tg.workspaces.list().all()).map((w) => w.name)).not.toContain('Hijacked');
      await browser.screenshot(`csrf-refused-${server().dialect}`);
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
    }
  });
});
