import { expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer('Web UI: the audit log', (server) => {
  it.skipIf(!browserAvailable)(
    "shows a token's creation and revocation and the sign-ins, reached from the token, and filters by action in the URL",
    async () => {
      const { tg, user } = await userWithProject(server().url);
      const doomed = await tg.tokens.create({ name: 'Old laptop' });
      const kept = await tg.tokens.create({ name: 'Build server' });
      await tg.tokens.revoke(doomed.id);
      const browser = await signedInBrowser(server().url, user.email, user.password);
      const { page } = browser;
      const rows = page.locator('tbody tr');
      try {
        await page.goto(`${server().url}/settings/tokens`);
        await page.getByRole('button', { name: 'Actions for Old laptop' }).click();
        await page.getByRole('menuitem', { name: 'Audit log' }).click();
        await page.waitForURL(new RegExp(`/settings/audit-log\\?target=${doomed.id}$`));
        await expect
          .poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))), eventually)
          .toEqual(['token.revoked', 'token.created']);
        expect(await rows.first().textContent()).toContain('Old laptop');
        await page.getByText(`“Old laptop” (${doomed.id})`).waitFor();
        expect(await accessibilityViolations(page)).toEqual([]);
        await expectNoHorizontalScroll(page);
        await browser.screenshot(`audit-log-token-${server().dialect}`);

        await page.getByRole('link', { name: 'show all' }).click();
        // The sign-ins (the script's and this browser's) are there too, beside the three token events.
        const actions = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
        await expect.poll(async () => (await actions()).filter((a) => a?.startsWith('token.')).length, eventually).toBe(3);
        expect((await actions()).filter((a) => a === 'session.created').length).toBeGreaterThanOrEqual(2);
        await page.getByLabel('Action').selectOption('token.created');
        await expect.poll(() => new URL(page.url()).searchParams.get('action'), eventually).toBe('token.created');
        await expect.poll(() => rows.count(), eventually).toBe(2);
        await page.reload();
        await expect
          .poll(() => rows.allTextContents(), eventually)
          .toEqual([expect.stringContaining('Build server'), expect.stringContaining('Old laptop')]);
        // A target's id narrows the list to that token.
        await page.getByRole('link', { name: kept.id }).click();
        await expect.poll(() => rows.count(), eventually).toBe(1);
        expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ action: 'token.created', target: kept.id });
        expectCleanConsole(browser);
      } finally {
        await browser.close();
      }
    },
  );
});
