import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, signedInUser, userWithProject } from '../client/server.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer('Web UI: members', (server) => {
  it.skipIf(!browserAvailable)(
    'invites a member who accepts, then changes their role, which their token feels on its next request',
    async () => {
      const { user: owner, workspace, project, tg } = await userWithProject(server().url);
      const invitee = await signedInUser(server().url, 'Bea Invitee');
      const ownerBrowser = await signedInBrowser(server().url, owner.email, owner.password);
      const inviteeBrowser = await signedInBrowser(server().url, invitee.user.email, invitee.user.password);
      const { page } = ownerBrowser;
      try {
        await page.goto(`${server().url}/workspace/${workspace.id}/members`);
        await page.getByRole('table', { name: 'Members' }).getByText('The last Owner').waitFor();
        await page.getByLabel('Email').fill(invitee.user.email);
        await page.getByLabel('Role', { exact: true }).selectOption('viewer');
        await page.getByRole('button', { name: 'Invite' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `Invitation sent to ${invitee.user.email}` })
          .waitFor();
        await page.locator('[data-invitation-id]', { hasText: invitee.user.email }).waitFor();

        // The invitee sees it wherever they are, and accepts.
        await inviteeBrowser.page.goto(`${server().url}/settings/sessions`);
        const banner = inviteeBrowser.page.getByRole('region', { name: 'Your invitations' });
        await banner.getByText('You are invited to join Client workspace as Viewer.').waitFor();
        expect(await accessibilityViolations(inviteeBrowser.page)).toEqual([]);
        await banner.getByRole('button', { name: 'Accept' }).click();
        await inviteeBrowser.page.waitForURL(new RegExp(`/workspace/${workspace.id}$`));
        await inviteeBrowser.page.getByRole('heading', { name: 'Client workspace' }).waitFor();
        expectCleanConsole(inviteeBrowser);

        // Their own token, as a Viewer, cannot create tasks…
        const { token } = await invitee.tg.tokens.create({ name: 'Bea script' });
        const asInvitee = new Taskgate({ baseUrl: server().url, token, retry: false });
        await expect(asInvitee.tasks.create({ projectId: project.id, title: 'Too early' })).rejects.toMatchObject({ status: 403 });

        // …until the owner makes them a Team Member.
        await page.reload();
        const roleOf = page.getByLabel('Role of Bea Invitee');
        await roleOf.waitFor();
        expect(await roleOf.locator('option').allTextContents()).toEqual([
          'Viewer',
          'Team Member',
          'Workspace Manager',
          'Administrator',
          'Owner',
        ]);
        await roleOf.selectOption('team_member');
        await expect
          .poll(async () => (await tg.members.list(workspace.id).all()).find((m) => m.userId === invitee.user.id)?.role, eventually)
          .toBe('team_member');
        expect(await asInvitee.tasks.create({ projectId: project.id, title: 'Now allowed' })).toMatchObject({ title: 'Now allowed' });
        expect(await page.getByRole('table', { name: 'What each role may do' }).getByText('tasks:create').count()).toBe(1);
        expect(await accessibilityViolations(page)).toEqual([]);
        await expectNoHorizontalScroll(page);
        await ownerBrowser.screenshot(`members-${server().dialect}`);

        // Removed, their token stops at once.
        await page.locator(`[data-user-id="${invitee.user.id}"]`).getByRole('button', { name: 'Remove' }).click();
        await page.getByRole('alertdialog').getByRole('button', { name: 'Remove member' }).click();
        await expect.poll(() => page.locator(`[data-user-id="${invitee.user.id}"]`).count(), eventually).toBe(0);
        await expect(asInvitee.tasks.create({ projectId: project.id, title: 'Gone' })).rejects.toMatchObject({ status: 404 });
        expectCleanConsole(ownerBrowser);
      } finally {
        await ownerBrowser.close();
        await inviteeBrowser.close();
      }
    },
  );
});
