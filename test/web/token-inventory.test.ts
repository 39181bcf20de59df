import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, signedInUser } from '../client/server.js';
import { addMember } from './membership.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

const DAY_MS = 86_400_000;

async function inventoriedWorkspace(url: string) {
  const owner = await signedInUser(url, 'Olive Owner');
  const workspace = await owner.tg.workspaces.create({ name: 'Inventoried' });
  const member = await signedInUser(url, 'Mia Member');
  await addMember(url, owner.tg, workspace.id, member, 'administrator');
  const personal = await member.tg.tokens.create({ name: 'Mia laptop' });
  const soon = await member.tg.tokens.create({ name: 'Mia script', expiresAt: new Date(Date.now() + 3 * DAY_MS).toISOString() });
  const key = await owner.tg.accessTokens.create(workspace.id, { label: 'Nightly key', scope: 'viewer' });
  const bot = await owner.tg.agents.register(workspace.id, { name: 'Deploy bot' });
  return { owner, workspace, member, personal, soon, key, bot };
}

describeWithServer('Web UI: the token inventory', (server) => {
  it.skipIf(!browserAvailable)("lists every token that reaches the workspace masked, filters them, and revokes a member's", async () => {
    const f = await inventoriedWorkspace(server().url);
    const browser = await signedInBrowser(server().url, f.owner.user.email, f.owner.user.password);
    const { page } = browser;
    try {
      // Reached from the workspace settings, as an owner.
      await page.goto(`${server().url}/workspace/${f.workspace.id}/settings`);
      await page.getByRole('link', { name: 'Open the token inventory' }).click();
      await page.getByRole('heading', { name: 'Token inventory' }).waitFor();
      const rows = page.locator('tbody tr');
      await expect.poll(() => rows.count(), eventually).toBe(4);
      const personalRow = page.locator(`tr[data-token-id="${f.personal.id}"]`);
      expect(await personalRow.getByTestId('masked-token').textContent()).toBe(`${f.personal.token.slice(0, 10)}…`);
      expect(await personalRow.textContent()).toContain(f.member.user.email);
      const body = (await page.locator('tbody').textContent()) ?? '';
      for (const secret of [f.personal.token, f.soon.token, f.key.token, f.bot.token]) expect(body).not.toContain(secret.slice(0, 11));
      await browser.screenshot(`token-inventory-${server().dialect}`);

      // Filters, kept in the URL.
      await page.getByLabel('Kind').selectOption('agent');
      await expect.poll(() => rows.count(), eventually).toBe(1);
      expect(await rows.first().getAttribute('data-kind')).toBe('agent');
      expect(page.url()).toContain('kind=agent');
      await page.getByLabel('Kind').selectOption('');
      await page.getByLabel('Created by').selectOption({ label: `Mia Member (${f.member.user.email})` });
      await expect.poll(() => rows.count(), eventually).toBe(2);
      await page.getByLabel('Expiring soon').check();
      await expect.poll(() => rows.count(), eventually).toBe(1);
      expect(await rows.first().getAttribute('data-token-id')).toBe(f.soon.id);
      await page.reload();
      await expect.poll(() => rows.count(), eventually).toBe(1);
      await page.getByLabel('Expiring soon').uncheck();
      await expect.poll(() => rows.count(), eventually).toBe(2);

      // Revoke the member's personal token, after confirming: the API refuses it from then on.
      await personalRow.getByRole('button', { name: 'Revoke Mia laptop' }).click();
      const confirm = page.getByRole('alertdialog');
      expect(await confirm.textContent()).toContain('Mia laptop');
      await confirm.getByRole('button', { name: 'Revoke token' }).click();
      await expect.poll(() => personalRow.getAttribute('data-status'), eventually).toBe('revoked');
      expect(await personalRow.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
      await expect(new Taskgate({ baseUrl: server().url, token: f.personal.token, retry: false }).me.get()).rejects.toMatchObject({
        status: 401,
        code: 'TOKEN_REVOKED',
      });
      await page.getByLabel('Status').selectOption('revoked');
      await expect.poll(() => rows.count(), eventually).toBe(1);

      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)(
    'lets an instance admin who is no member revoke from the admin page; a non-owner member is refused',
    async () => {
      const f = await inventoriedWorkspace(server().url);
      const admin = await signedInBrowser(server().url, server().admin.email, server().admin.password);
      try {
        const { page } = admin;
        await page.goto(`${server().url}/admin`);
        await page.locator(`tr[data-workspace-id="${f.workspace.id}"]`).getByRole('link', { name: 'Tokens' }).click();
        const keyRow = page.locator(`tr[data-token-id="${f.key.id}"]`);
        await keyRow.waitFor();
        await keyRow.getByRole('button', { name: 'Revoke Nightly key' }).click();
        await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke token' }).click();
        await expect.poll(() => keyRow.getAttribute('data-status'), eventually).toBe('revoked');
        await expect(new Taskgate({ baseUrl: server().url, token: f.key.token, retry: false }).me.get()).rejects.toMatchObject({
          code: 'TOKEN_REVOKED',
        });
      } finally {
        await admin.close();
      }

      const member = await signedInBrowser(server().url, f.member.user.email, f.member.user.password);
      try {
        await member.page.goto(`${server().url}/workspace/${f.workspace.id}/settings`);
        await member.page.getByRole('heading', { name: 'Workspace settings' }).waitFor();
        await member.page.getByRole('heading', { name: 'Task statuses' }).waitFor();
        expect(await member.page.getByRole('link', { name: 'Open the token inventory' }).count()).toBe(0);
        await member.page.goto(`${server().url}/workspace/${f.workspace.id}/token-inventory`);
        await member.page.getByText(/tokens:inventory/).waitFor();
        expect(await member.page.locator('tbody tr').count()).toBe(0);
      } finally {
        await member.close();
      }
    },
  );
});
