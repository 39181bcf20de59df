import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable, openBrowser } from '../helpers/browser.js';
import { uniqueEmail } from '../helpers/factories.js';
import { describeWithServer } from '../client/server.js';
import { accessibilityViolations, expectCleanConsole, expectNoHorizontalScroll } from './ui.js';

describeWithServer('Web UI: a new user signs up, creates a workspace, signs out and in', (server) => {
  it.skipIf(!browserAvailable)('guides a visitor from the sign-in page to a first workspace, with no console error', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await page.goto(server().url);
      await page.waitForURL('**/login**');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`first-visit-login-${server().dialect}`);

      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      const email = uniqueEmail('ui');
      await page.getByLabel('Name').fill('Ada Lovelace');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: 'Create account' }).click();

      await page.getByRole('heading', { name: 'Welcome to Taskgate' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`first-visit-onboarding-${server().dialect}`);
      await page.getByLabel('Workspace name').fill('Apollo');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await page.getByRole('heading', { name: 'Apollo' }).waitFor();
      expect(page.url()).toMatch(/\/workspace\/wsp_[a-z0-9]+$/);
      await expect.poll(() => page.getByRole('button', { name: /Workspace: Apollo/ }).count()).toBe(1);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/login');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'INVALID_CREDENTIALS' }).waitFor();
      // The refused sign-in is the one failed request this test expects.
      expect(browser.problems.filter((p) => !p.includes('/api/v1/auth/login') && !p.includes('status of 401'))).toEqual([]);
      browser.problems.length = 0;

      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Apollo' }).waitFor();
      await browser.screenshot(`first-visit-signed-in-${server().dialect}`);
      expectCleanConsole(browser);

      // The favicon is served, and the server created exactly this one workspace.
      expect((await fetch(`${server().url}/favicon.svg`)).status).toBe(200);
      const { sessionToken } = await new Taskgate({ baseUrl: server().url }).auth.login({ email, password: 'a long enough password' });
      expect((await new Taskgate({ baseUrl: server().url, token: sessionToken }).workspaces.list().all()).map((w) => w.name)).toEqual([
        'Apollo',
      ]);
    } finally {
      await browser.close();
    }
  });
});
