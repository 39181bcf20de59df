import { expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { receiverPerSuite } from '../webhooks/receiver.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

// Deliveries go out at once and are retried within a second; private addresses (the local receiver) are allowed.
const SERVER_ENV = {
  TASKGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
  TASKGATE_WEBHOOK_POLL: '50ms',
  TASKGATE_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms',
};

describeWithServer(
  'Web UI: webhooks',
  (server) => {
    const receiver = receiverPerSuite();

    it.skipIf(!browserAvailable)(
      'adds an endpoint, delivers its test event with its attempts, redelivers it, rotates and disables',
      async () => {
        const { user, workspace, project, tg } = await userWithProject(server().url);
        // The first answer fails, every later one succeeds: the history shows both attempts.
        receiver().respond((_request, index) => (index === 0 ? { status: 500, body: 'boom: not ready' } : { status: 200, body: 'ok' }));
        const browser = await signedInBrowser(server().url, user.email, user.password);
        const { page } = browser;
        try {
          await page.goto(`${server().url}/workspace/${workspace.id}/webhooks`);
          await page.getByRole('button', { name: 'Add endpoint' }).click();
          const dialog = page.getByRole('dialog');
          await dialog.getByLabel('Endpoint URL').fill(receiver().url);
          await dialog.getByLabel('Description').fill('The CI bridge');
          await dialog.getByLabel('All task events').check();
          await dialog.getByLabel('API').check();
          expect(await accessibilityViolations(page)).toEqual([]);
          await dialog.getByRole('button', { name: 'Add endpoint' }).click();
          const secret = await page.getByLabel('Secret', { exact: true }).inputValue();
          expect(secret).toMatch(/^whsec_/);
          await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
          await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
          const [hook] = await tg.webhooks.list(workspace.id).all();
          expect(hook).toMatchObject({
            url: receiver().url,
            events: ['task.*'],
            projectIds: [project.id],
            enabled: true,
            description: 'The CI bridge',
          });

          const card = page.locator(`[data-webhook-id="${hook!.id}"]`);
          await card.getByRole('button', { name: 'Send test event' }).click();
          const delivery = card.locator('[data-delivery-id]').first();
          await expect.poll(() => delivery.getAttribute('data-status'), { timeout: 15_000 }).toBe('succeeded');
          await expect.poll(() => delivery.textContent(), eventually).toContain('2 attempts');
          // The endpoint answers again: it is no longer shown as failing.
          await expect.poll(() => card.getByTestId('webhook-state').textContent(), eventually).toBe('Enabled');
          await delivery.getByRole('button', { name: 'Attempts' }).click();
          await expect.poll(() => delivery.getByTestId('attempt-status').allTextContents(), eventually).toEqual(['HTTP 500', 'HTTP 200']);
          expect(await delivery.getByTestId('attempt').first().textContent()).toContain('boom: not ready');
          const [first] = receiver().requests;
          expect(JSON.parse(first!.body)).toMatchObject({ type: 'ping' });
          expect(await accessibilityViolations(page)).toEqual([]);
          await expectNoHorizontalScroll(page);
          await browser.screenshot(`webhooks-${server().dialect}`);

          // Sent again: the same message, a third attempt.
          await delivery.getByRole('button', { name: 'Redeliver' }).click();
          await receiver().waitFor((all) => all.filter((r) => r.headers['webhook-id'] === first!.headers['webhook-id']).length === 3);
          await expect
            .poll(() => delivery.getByTestId('attempt-status').allTextContents(), { timeout: 15_000 })
            .toEqual(['HTTP 500', 'HTTP 200', 'HTTP 200']);

          // A new secret, the old one still signing for a while.
          await card.getByRole('button', { name: 'Rotate secret…' }).click();
          await page.getByRole('dialog').getByLabel('The old secret').selectOption('3600');
          await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
          const rotated = await page.getByLabel('Secret', { exact: true }).inputValue();
          expect(rotated).toMatch(/^whsec_/);
          expect(rotated).not.toBe(secret);
          await page
            .getByRole('dialog')
            .getByText(/The old secret also signs until/)
            .waitFor();
          await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
          await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();

          // Disabled, it says so and why.
          await card.getByRole('button', { name: 'Disable' }).click();
          await expect.poll(() => card.getByTestId('webhook-state').textContent(), eventually).toContain('Disabled');
          expect(await tg.webhooks.get(hook!.id)).toMatchObject({ enabled: false, disabledReason: 'Disabled through the API' });
          expect(await card.getByTestId('webhook-state').textContent()).toContain('Why: Disabled through the API');
          await card.getByRole('button', { name: 'Enable' }).click();
          await expect.poll(async () => (await tg.webhooks.get(hook!.id)).enabled, eventually).toBe(true);
          expectCleanConsole(browser);
        } finally {
          await browser.close();
        }
      },
    );
  },
  SERVER_ENV,
);
