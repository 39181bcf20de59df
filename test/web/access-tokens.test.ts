import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, signedInUser } from '../client/server.js';
import { addMember } from './membership.js';
import { accessibilityViolations, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

async function teamWorkspace(url: string) {
  const owner = await signedInUser(url, 'Owner');
  const workspace = await owner.tg.workspaces.create({ name: 'Team' });
  const members = { manager: await signedInUser(url, 'Manager'), viewer: await signedInUser(url, 'Viewer') };
  await addMember(url, owner.tg, workspace.id, members.manager, 'workspace_manager');
  await addMember(url, owner.tg, workspace.id, members.viewer, 'viewer');
  return { owner, workspace, members };
}

describeWithServer('Web UI: the workspace Access Tokens page', (server) => {
  it.skipIf(!browserAvailable)('creates, masks, disables, highlights expired tokens, and remembers hidden columns', async () => {
    const { owner, workspace } = await teamWorkspace(server().url);
    const soon = await owner.tg.accessTokens.create(workspace.id, {
      label: 'Short-lived',
      scope: 'viewer',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    const nightly = await owner.tg.accessTokens.create(workspace.id, { label: 'Nightly', scope: 'team_member' });
    // Expired by moving its end into the past on the row rather than by waiting it out.
    const expiredAt = new Date(Date.now() - 1000).toISOString();
    await server().editRows((db) =>
      db.updateTable('workspace_access_tokens').set({ expires_at: expiredAt }).where('id', '=', soon.id).execute(),
    );
    const browser = await signedInBrowser(server().url, owner.user.email, owner.user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}/access-tokens`);
      await page.getByRole('button', { name: 'Create token' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Label').fill('CI');
      await dialog.getByLabel('Scope').selectOption('administrator');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const secret = await page.getByLabel('Secret', { exact: true }).inputValue();
      expect(secret).toMatch(/^tgw_/);
      await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
      expect(await new Taskgate({ baseUrl: server().url, token: secret }).me.get()).toMatchObject({ token: { kind: 'workspace' } });

      // Masked: the first 10 characters only, and a copy button for the masked id on active tokens.
      const ciRow = page.locator(`tr`, { hasText: 'CI' }).filter({ hasText: 'Administrator' });
      await expect.poll(() => ciRow.getByTestId('masked-token').textContent()).toBe(`${secret.slice(0, 10)}…`);
      expect(await page.locator('tbody').textContent()).not.toContain(secret.slice(0, 11));

      // Disable one: reduced opacity, and the API refuses it.
      const nightlyRow = page.locator(`tr[data-token-id="${nightly.id}"]`);
      await nightlyRow.getByRole('button', { name: 'Actions for Nightly' }).click();
      await page.getByRole('menuitem', { name: 'Disable' }).click();
      await expect.poll(() => nightlyRow.getAttribute('data-status')).toBe('disabled');
      expect(Number(await nightlyRow.evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(0.8);
      expect(await nightlyRow.getByRole('button', { name: /Copy/ }).count()).toBe(0);
      await expect(new Taskgate({ baseUrl: server().url, token: nightly.token, retry: false }).me.get()).rejects.toMatchObject({
        code: 'TOKEN_DISABLED',
      });

      // The expired one is highlighted red.
      const expiredRow = page.locator(`tr[data-token-id="${soon.id}"]`);
      expect(await expiredRow.getAttribute('data-status')).toBe('expired');
      const background = await expiredRow.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).not.toBe('rgba(0, 0, 0, 0)');
      await browser.screenshot(`access-tokens-owner-${server().dialect}`);

      // Hide a column: applied at once, kept after a reload.
      await page.getByRole('button', { name: 'Columns' }).click();
      await page.getByRole('menuitemcheckbox', { name: 'Scope' }).click();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('columnheader', { name: 'Scope' }).count()).toBe(0);
      await page.reload();
      await page.getByRole('columnheader', { name: 'Label' }).waitFor();
      expect(await page.getByRole('columnheader', { name: 'Scope' }).count()).toBe(0);
      await browser.screenshot(`access-tokens-scope-hidden-${server().dialect}`);
      await page.getByRole('button', { name: 'Columns' }).click();
      await page.getByRole('menuitemcheckbox', { name: 'Scope' }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('columnheader', { name: 'Scope' }).waitFor();

      // Edit and delete.
      await ciRow.getByRole('button', { name: 'Actions for CI' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      await page.getByRole('dialog').getByLabel('Label').fill('CI pipeline');
      await page.getByRole('button', { name: 'Save changes' }).click();
      const renamed = page.locator('tr', { hasText: 'CI pipeline' });
      await renamed.waitFor();
      await renamed.getByRole('button', { name: 'Actions for CI pipeline' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete token' }).click();
      await expect.poll(() => renamed.count()).toBe(0);
      await expect(new Taskgate({ baseUrl: server().url, token: secret, retry: false }).me.get()).rejects.toMatchObject({ status: 401 });

      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('shows a Viewer a read-only table, and a Workspace Manager create and edit but no delete', async () => {
    const { owner, workspace, members } = await teamWorkspace(server().url);
    await owner.tg.accessTokens.create(workspace.id, { label: 'Deploy key', scope: 'team_member' });

    const viewer = await signedInBrowser(server().url, members.viewer.user.email, members.viewer.user.password);
    try {
      await viewer.page.goto(`${server().url}/workspace/${workspace.id}/access-tokens`);
      await viewer.page.getByRole('cell', { name: 'Deploy key', exact: true }).waitFor();
      expect(await viewer.page.getByRole('button', { name: 'Create token' }).count()).toBe(0);
      expect(await viewer.page.getByRole('button', { name: /Actions for/ }).count()).toBe(0);
      await viewer.screenshot(`access-tokens-viewer-${server().dialect}`);
      expectCleanConsole(viewer);
    } finally {
      await viewer.close();
    }

    const manager = await signedInBrowser(server().url, members.manager.user.email, members.manager.user.password);
    try {
      await manager.page.goto(`${server().url}/workspace/${workspace.id}/access-tokens`);
      await manager.page.getByRole('button', { name: 'Create token' }).waitFor();
      await manager.page.getByRole('button', { name: 'Create token' }).click();
      const scopes = await manager.page.getByRole('dialog').getByLabel('Scope').locator('option').allTextContents();
      expect(scopes).toEqual(['Viewer', 'Team Member', 'Workspace Manager']);
      await manager.page.keyboard.press('Escape');
      await manager.page.getByRole('button', { name: 'Actions for Deploy key' }).click();
      expect(await manager.page.getByRole('menuitem').allTextContents()).toEqual(['Permissions and usage', 'Edit']);
      await manager.screenshot(`access-tokens-manager-${server().dialect}`);
      await manager.page.keyboard.press('Escape');
      expectCleanConsole(manager);
    } finally {
      await manager.close();
    }
  });
});
