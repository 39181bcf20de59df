import { expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { expectCleanConsole, signedInBrowser } from './ui.js';

describeWithServer('Web UI: copying without the Clipboard API', (server) => {
  it.skipIf(!browserAvailable)(
    'copies a new token by selecting it where navigator.clipboard is missing (plain http on a LAN address)',
    async () => {
      const { user } = await userWithProject(server().url);
      const browser = await signedInBrowser(server().url, user.email, user.password);
      const { page, context } = browser;
      try {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server().url });
        // What a page served over plain http on a LAN address sees: no secure context, no Clipboard API.
        await page.addInitScript(() => {
          Object.defineProperty(window, 'isSecureContext', { value: false });
          Object.defineProperty(navigator, 'clipboard', { value: undefined });
        });
        await page.goto(`${server().url}/settings/tokens`);
        await page.getByRole('button', { name: 'Create token' }).click();
        await page.getByRole('dialog').getByLabel('Name').fill('From the LAN');
        await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
        const secret = await page.getByLabel('Secret', { exact: true }).inputValue();
        await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
        await page.getByRole('dialog').getByText('Copied').waitFor();

        // Another page of the same browser, with the API, reads what the fallback put on the clipboard.
        const reader = await context.newPage();
        await reader.goto(`${server().url}/favicon.svg`);
        expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(secret);
        await reader.close();
        expectCleanConsole(browser);
      } finally {
        await browser.close();
      }
    },
  );
});
