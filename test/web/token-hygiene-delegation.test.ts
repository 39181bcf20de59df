import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

describeWithServer('Web UI: delegated tokens under their parent', (server) => {
  const as = (token: string) => new Taskgate({ baseUrl: server().url, token, retry: false });
  /** A child of `token` minted by that token itself (POST /me/delegate), as an agent hands work to a sub-agent. */
  async function delegate(token: string, body: { name: string; permissions?: string[] }, expiresInSeconds = 3600): Promise<string> {
    const { data, error } = await as(token).api.POST('/api/v1/me/delegate', { body: { ...body, expiresInSeconds } });
    if (!data) throw new Error(`delegating answered ${JSON.stringify(error)}`);
    return data.token;
  }

  const refused = (token: string) =>
    as(token)
      .me.get()
      .then(
        () => false,
        (error: { status?: number }) => error.status === 401,
      );

  it.skipIf(!browserAvailable)(
    'lists a chain under its personal, workspace and agent roots, and revoking one ends those below',
    async () => {
      const { tg, user, workspace } = await userWithProject(server().url);
      const root = await tg.tokens.create({ name: 'Orchestrator' });
      const child = await delegate(root.token, { name: 'Sub-agent', permissions: ['tasks:read'] });
      const grandchild = await delegate(child, { name: 'Sub-sub-agent' }, 1800);
      const key = await tg.accessTokens.create(workspace.id, { label: 'Fleet key', scope: 'team_member' });
      await delegate(key.token, { name: 'Worker shard' });
      const bot = await tg.agents.register(workspace.id, { name: 'Planner' });
      const helper = await delegate(bot.token, { name: 'Planner helper' });

      const browser = await signedInBrowser(server().url, user.email, user.password);
      const { page } = browser;
      // Confirms the revoke and waits for the DELETE's answer: the list's count can reach 0 while the dialog is still
      // open and the DELETE not yet answered (seen on PostgreSQL), so an empty list is no sign the revoke is done.
      const revokeInDialog = async () => {
        const answered = page.waitForResponse((res) => res.request().method() === 'DELETE' && res.url().includes('/delegated-tokens/'));
        await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke delegated token' }).click();
        expect((await answered).status()).toBe(204);
      };
      try {
        await page.goto(`${server().url}/settings/tokens`);
        const chain = page.getByRole('list', { name: 'Delegated by Orchestrator' });
        await expect.poll(() => chain.getByRole('listitem').count(), eventually).toBe(2);
        const [first, second] = await chain.getByRole('listitem').all();
        expect(await first!.textContent()).toMatch(/^↳Sub-agenttgd_\w{6}…tasks:read/);
        expect(await second!.textContent()).toMatch(/^↳Sub-sub-agenttgd_/);
        // Indented by depth: the grandchild sits further right than its parent.
        const indent = (item: typeof first) => item!.evaluate((el) => Number.parseFloat(getComputedStyle(el).paddingLeft));
        expect(await indent(second)).toBeGreaterThan(await indent(first));
        expect(await accessibilityViolations(page)).toEqual([]);
        await expectNoHorizontalScroll(page);
        await browser.screenshot(`delegated-tokens-personal-${server().dialect}`);

        // Revoking the child ends the grandchild too: both leave the list, and the API refuses both.
        await chain.getByRole('button', { name: 'Revoke Sub-agent' }).click();
        await revokeInDialog();
        await expect.poll(() => chain.count(), eventually).toBe(0);
        expect(await refused(child)).toBe(true);
        expect(await refused(grandchild)).toBe(true);
        expect(await as(root.token).me.get()).toMatchObject({ token: { id: root.id } });

        await page.goto(`${server().url}/workspace/${workspace.id}/access-tokens`);
        await expect
          .poll(() => page.getByRole('list', { name: 'Delegated by Fleet key' }).textContent(), eventually)
          .toContain('Worker shard');
        await browser.screenshot(`delegated-tokens-access-tokens-${server().dialect}`);

        await page.goto(`${server().url}/workspace/${workspace.id}/agents`);
        const agentChain = page.getByRole('list', { name: 'Delegated by Planner' });
        await expect.poll(() => agentChain.textContent(), eventually).toContain('Planner helper');
        await agentChain.getByRole('button', { name: 'Revoke Planner helper' }).click();
        await revokeInDialog();
        await expect.poll(() => agentChain.count(), eventually).toBe(0);
        expect(await refused(helper)).toBe(true);
        expect(await accessibilityViolations(page)).toEqual([]);
        expectCleanConsole(browser);
      } finally {
        await browser.close();
      }
    },
  );
});
