import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { accessibilityViolations, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer('Web UI: personal access tokens', (server) => {
  it.skipIf(!browserAvailable)('creates a token, copies it, uses it, revokes it, rotates one with grace and deletes all', async () => {
    const { tg, user, project } = await userWithProject(server().url);
    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page, context } = browser;
    const asToken = (token: string) => new Taskgate({ baseUrl: server().url, token, retry: false });
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server().url });
      await page.goto(`${server().url}/settings/tokens`);
      await page.getByText('You have no personal access tokens yet').waitFor();

      // Create, with one permission and a 7-day expiry; the secret is shown once, and copied.
      await page.getByRole('button', { name: 'Create token' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('CI deploys');
      await dialog.getByLabel('Only the permissions chosen below').check();
      await dialog.getByLabel(/^tasks:read/).check();
      await dialog.getByLabel('Expires').selectOption('7');
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`tokens-create-dialog-${server().dialect}`);
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const secretField = page.getByLabel('Secret', { exact: true });
      await secretField.waitFor();
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^tgp_[0-9A-Za-z]{38}$/);
      await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
      await page.getByText('Copied').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await browser.screenshot(`tokens-secret-shown-${server().dialect}`);
      await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();

      const row = page.locator('tr', { hasText: 'CI deploys' });
      await expect.poll(() => row.textContent()).toContain(`${secret.slice(0, 10)}…`);
      expect(await row.textContent()).not.toContain(secret.slice(0, 14));
      expect(await row.textContent()).toMatch(/Expires in [67] days/);
      expect(await row.textContent()).toContain('tasks:read');
      // The copied secret works against the API, within its one permission.
      expect(await asToken(secret).tasks.list({ projectId: project.id }).all()).toEqual([]);
      await expect(asToken(secret).tasks.create({ projectId: project.id, title: 'no' })).rejects.toMatchObject({
        status: 403,
        missingPermission: 'tasks:create',
      });

      // Revoke it: the API refuses it from then on.
      await row.getByRole('button', { name: 'Actions for CI deploys' }).click();
      await page.getByRole('menuitem', { name: 'Revoke' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke token' }).click();
      await expect.poll(() => row.textContent()).toContain('revoked');
      await expect(asToken(secret).me.get()).rejects.toMatchObject({ status: 401, code: 'TOKEN_REVOKED' });

      // Rotate another with a grace period: both secrets work until it ends.
      const nightly = await tg.tokens.create({ name: 'Nightly' });
      await page.reload();
      const nightlyRow = page.locator('tr', { hasText: 'Nightly' });
      const actions = nightlyRow.getByRole('button', { name: 'Actions for Nightly' });
      await actions.click();
      await page.getByRole('menuitem', { name: 'Rotate secret' }).click();
      // A dialog opened from a row's menu gives the focus back to that row's button when it closes.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Actions for Nightly');
      await actions.click();
      await page.getByRole('menuitem', { name: 'Rotate secret' }).click();
      await page.getByLabel('The old secret').selectOption('3600');
      await page.getByRole('button', { name: 'Rotate secret' }).click();
      await page.getByText(/The previous secret is valid until/).waitFor();
      const rotated = await page.getByLabel('Secret', { exact: true }).inputValue();
      expect(rotated).not.toBe(nightly.token);
      // Closing before copying asks first.
      await page.keyboard.press('Escape');
      await page.getByText('You have not copied this secret').waitFor();
      await browser.screenshot(`tokens-rotated-${server().dialect}`);
      await page.getByRole('button', { name: 'Close without copying' }).click();
      expect(await asToken(nightly.token).me.get()).toMatchObject({ token: { id: nightly.id } });
      expect(await asToken(rotated).me.get()).toMatchObject({ token: { id: nightly.id } });

      // Filters live in the URL and survive a reload.
      await page.getByLabel('Status').selectOption('revoked');
      await page.waitForURL(/status=revoked/);
      await page.reload();
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('tbody').textContent()).toContain('CI deploys');
      await page.getByLabel('Status').selectOption('');

      // Delete all: confirmed by typing; every token stops.
      await page.getByRole('button', { name: 'Delete all tokens' }).click();
      const confirm = page.getByRole('alertdialog');
      expect(await confirm.getByRole('button', { name: 'Delete all tokens' }).isDisabled()).toBe(true);
      await confirm.getByLabel(/Type delete all tokens/).fill('delete all tokens');
      await confirm.getByRole('button', { name: 'Delete all tokens' }).click();
      await expect.poll(() => page.locator('tbody').textContent()).not.toContain('active');
      await expect(asToken(rotated).me.get()).rejects.toMatchObject({ status: 401, code: 'TOKEN_REVOKED' });

      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`tokens-all-revoked-${server().dialect}`);

      // A token's audit log entries, one click from its row.
      await page.locator('tr', { hasText: 'Nightly' }).getByRole('button', { name: 'Actions for Nightly' }).click();
      await page.getByRole('menuitem', { name: 'Audit log' }).click();
      await page.waitForURL(new RegExp(`/settings/audit-log\\?target=${nightly.id}`));
      await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator('tbody').textContent()).toMatch(/token\.created[\s\S]*token\.rotated|token\.rotated[\s\S]*token\.created/);
      const [first] = await tg.tokens.list({ q: 'CI deploys' }).all();
      expect(await page.locator('tbody').textContent()).not.toContain(first!.id);
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`audit-log-${server().dialect}`);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });
});
