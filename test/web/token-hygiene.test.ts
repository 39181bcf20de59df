import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { browserAvailable } from '../helpers/browser.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { accessibilityViolations, eventually, expectCleanConsole, expectNoHorizontalScroll, signedInBrowser } from './ui.js';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describeWithServer('Web UI: token hygiene (expiry banner, badges, IP allowlists, leak notices)', (server) => {
  it.skipIf(!browserAvailable)('flags expiring, stale and leaked personal tokens, and edits an IP allowlist both ways', async () => {
    const { tg, user } = await userWithProject(server().url);
    await tg.tokens.create({ name: 'Expiring soon', expiresAt: inDays(3) });
    const forgotten = await tg.tokens.create({ name: 'Forgotten' });
    // Stale: created (and never used) long ago, by moving its creation back rather than waiting.
    await server().editRows((db) =>
      db
        .updateTable('personal_access_tokens')
        .set({ created_at: inDays(-100) })
        .where('id', '=', forgotten.id)
        .execute(),
    );
    const leaky = await tg.tokens.create({ name: 'Pasted in a gist' });
    const source = 'https://gist.github.com/example/0123abcd';
    await new Taskgate({ baseUrl: server().url }).tokenLeaks.report({ strings: [`TASKGATE_TOKEN=${leaky.token}`], source });

    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/settings/tokens`);
      const banner = page.getByTestId('expiring-tokens');
      await expect.poll(() => banner.textContent(), eventually).toContain('1 token expires within 7 days: 1 personal token.');
      const rowOf = (name: string) => page.locator('tbody tr', { hasText: name });
      expect(await rowOf('Expiring soon').textContent()).toContain('Expires in 2 days');
      expect(await rowOf('Forgotten').textContent()).toContain('Stale');
      expect(await rowOf('Expiring soon').textContent()).not.toContain('Stale');
      expect(await rowOf('Pasted in a gist').textContent()).toContain('Leaked');
      const notice = page.getByTestId('leaked-notice');
      await expect.poll(() => notice.textContent(), eventually).toContain(`from ${source}`);
      expect(await notice.textContent()).toMatch(/^“Pasted in a gist” was found in public and revoked.*Reported leaked at .+ from https/);
      expect(await notice.textContent()).toMatch(/reported from [0-9a-f.:]+\)/);
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`token-hygiene-personal-${server().dialect}`);

      // An allowlist typed in the create dialog: checked in the form, then kept as the server writes it.
      await page.getByRole('button', { name: 'Create token' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('Office only');
      const allowlist = dialog.getByLabel('Allowed IP addresses');
      await allowlist.fill('203.0.113.0/24\n10.0.0.300');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      await dialog.getByText('10.0.0.300 is no IP address or CIDR').waitFor();
      await allowlist.fill('203.0.113.0/24\n2001:DB8::/32, 2001:db8::1/129');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      await dialog.getByText('2001:db8::1/129: the prefix length is 0 to 128').waitFor();
      await allowlist.fill('203.0.113.0/24\n2001:DB8::/32');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const secret = await page.getByLabel('Secret', { exact: true }).inputValue();
      await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
      const [office] = await tg.tokens.list({ q: 'Office only' }).all();
      expect(office!.allowedIps).toEqual(['203.0.113.0/24', '2001:db8::/32']);
      // The test's address is not on it.
      await expect(new Taskgate({ baseUrl: server().url, token: secret, retry: false }).me.get()).rejects.toMatchObject({
        status: 403,
        code: 'IP_NOT_ALLOWED',
      });
      await expect.poll(() => rowOf('Office only').textContent(), eventually).toContain('IP-restricted');

      // Edited: the dialog shows the list as stored; a list the server refuses names the field; then cleared to one address.
      await rowOf('Office only').getByRole('button', { name: 'Actions for Office only' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog');
      expect(await edit.getByLabel('Allowed IP addresses').inputValue()).toBe('203.0.113.0/24\n2001:db8::/32');
      const tooMany = Array.from({ length: 51 }, (_, i) => `198.51.100.${i}`).join('\n');
      await edit.getByLabel('Allowed IP addresses').fill(tooMany);
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => page.locator('#token-allowed-ips-error').textContent(), eventually).toMatch(/50/);
      await browser.screenshot(`token-hygiene-allowlist-refused-${server().dialect}`);
      await edit.getByLabel('Allowed IP addresses').fill('127.0.0.1\n::1');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await edit.waitFor({ state: 'detached' });
      const [edited] = await tg.tokens.list({ q: 'Office only' }).all();
      expect(edited!.allowedIps).toEqual(['127.0.0.1/32', '::1/128']);
      expect(await new Taskgate({ baseUrl: server().url, token: secret, retry: false }).me.get()).toMatchObject({
        token: { id: office!.id },
      });

      await expectNoHorizontalScroll(page);
      expectCleanConsole(browser, /HTTP 400: PATCH .*\/api\/v1\/tokens\/|status of 400/);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('counts and flags workspace and agent tokens, edits their allowlists and tells of leaks', async () => {
    const { tg, user, workspace } = await userWithProject(server().url);
    await tg.accessTokens.create(workspace.id, { label: 'Deploy key', scope: 'team_member', expiresAt: inDays(3) });
    const leakyKey = await tg.accessTokens.create(workspace.id, { label: 'Leaky key', scope: 'viewer' });
    const builder = await tg.agents.register(workspace.id, { name: 'Builder' });
    await server().editRows((db) =>
      db
        .updateTable('agent_tokens')
        .set({ expires_at: inDays(2) })
        .where('agent_id', '=', builder.agent.id)
        .execute(),
    );
    const leakyBot = await tg.agents.register(workspace.id, { name: 'Leaky bot' });
    const source = 'https://github.com/example/app/blob/main/ci.yml';
    await new Taskgate({ baseUrl: server().url }).tokenLeaks.report({ strings: [leakyKey.token, leakyBot.token], source });

    const browser = await signedInBrowser(server().url, user.email, user.password);
    const { page } = browser;
    try {
      await page.goto(`${server().url}/workspace/${workspace.id}/access-tokens`);
      const banner = page.getByTestId('expiring-tokens');
      await expect.poll(() => banner.textContent(), eventually).toContain('2 tokens expire within 7 days: 1 access token, 1 agent token.');
      const rowOf = (name: string) => page.locator('tbody tr', { hasText: name });
      await expect.poll(() => rowOf('Deploy key').textContent(), eventually).toContain('Expires in 2 days');
      expect(await rowOf('Leaky key').textContent()).toContain('Leaked');
      const notice = page.getByTestId('leaked-notice');
      await expect.poll(() => notice.textContent(), eventually).toContain(`“Leaky key” was found in public and revoked`);
      expect(await notice.textContent()).toMatch(new RegExp(`Reported leaked at .+ from ${source.replaceAll('.', '\\.')}`));

      // The allowlist of a workspace token, edited in its dialog and read back from the API.
      await rowOf('Deploy key').getByRole('button', { name: 'Actions for Deploy key' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Allowed IP addresses').fill('192.0.2.0/24 2001:db8:1::/48');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.waitFor({ state: 'detached' });
      const deployKey = (await tg.accessTokens.list(workspace.id).all()).find((t) => t.label === 'Deploy key');
      expect(deployKey!.allowedIps).toEqual(['192.0.2.0/24', '2001:db8:1::/48']);
      await expect.poll(() => rowOf('Deploy key').textContent(), eventually).toContain('IP-restricted');
      expect(await accessibilityViolations(page)).toEqual([]);
      await expectNoHorizontalScroll(page);
      await browser.screenshot(`token-hygiene-access-tokens-${server().dialect}`);

      // Agents: the expiring token, the leaked one (until it is reissued), and the agent's allowlist.
      await banner.getByRole('link', { name: '1 agent token' }).click();
      await page.waitForURL(`**/workspace/${workspace.id}/agents`);
      await expect.poll(() => rowOf('Builder').textContent(), eventually).toContain('Expires in 1 day');
      const agentNotice = page.getByTestId('leaked-notice');
      await expect.poll(() => agentNotice.textContent(), eventually).toContain('The token of “Leaky bot” was found in public and revoked');
      expect(await agentNotice.textContent()).toContain(`from ${source}`);
      await rowOf('Builder').getByRole('button', { name: 'Actions for Builder' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      await page.getByRole('dialog').getByLabel('Allowed IP addresses').fill('10.20.0.0/16');
      await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect((await tg.agents.get(builder.agent.id)).allowedIps).toEqual(['10.20.0.0/16']);
      await expect.poll(() => rowOf('Builder').textContent(), eventually).toContain('IP-restricted');
      expect(await accessibilityViolations(page)).toEqual([]);
      await browser.screenshot(`token-hygiene-agents-${server().dialect}`);

      // A new token for the leaky agent ends its notice.
      await tg.agents.reissueToken(leakyBot.agent.id, { graceSeconds: 0 });
      await page.reload();
      await rowOf('Leaky bot').waitFor();
      await expect.poll(() => page.getByTestId('leaked-notice').count(), eventually).toBe(0);
      expectCleanConsole(browser);
    } finally {
      await browser.close();
    }
  });
});
