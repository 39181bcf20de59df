import fs from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { expect, it } from 'vitest';
import { browserAvailable, openBrowser } from '../helpers/browser.js';
import { ROOT } from '../helpers/server-process.js';
import { describeWithServer, signedInUser } from './server.js';

type ClientModule = typeof import('../../packages/client/src/index.js');

// The package as it ships (dist/, built by `npm install`) and its one dependency, served on the
// server's own origin so that the page's calls are same-origin and carry the session cookie.
const FILES: Record<string, string> = {
  '/__client/index.html':
    '<!doctype html><html><head><title>client</title><script type="importmap">' +
    '{"imports":{"openapi-fetch":"/__client/openapi-fetch.js"}}</script></head><body><pre id="out"></pre></body></html>',
};
function served(pathname: string): string | null {
  if (FILES[pathname] !== undefined) return FILES[pathname]!;
  if (pathname === '/__client/openapi-fetch.js')
    return fs.readFileSync(path.join(ROOT, 'node_modules/openapi-fetch/dist/index.mjs'), 'utf8');
  const match = /^\/__client\/dist\/([\w/.-]+\.js)$/.exec(pathname);
  return match ? fs.readFileSync(path.join(ROOT, 'packages/client/dist', match[1]!), 'utf8') : null;
}

describeWithServer('@taskgate/client in Chromium', (server) => {
  it.skipIf(!browserAvailable)('signs in with the cookie, calls the API, maps errors and verifies a webhook in a browser', async () => {
    const { user } = await signedInUser(server().url);
    const secret = `whsec_${Buffer.from('a browser test signing key, 32 b').toString('base64')}`;
    const body = JSON.stringify({ type: 'task.created', timestamp: new Date().toISOString(), data: { resourceId: 'tsk_1' } });
    const signature = new Webhook(secret).sign('msg_browser', new Date(), body);
    const headers = {
      'webhook-id': 'msg_browser',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': signature,
    };

    const browser = await openBrowser();
    try {
      await browser.page.route(`${server().url}/__client/**`, async (route) => {
        const content = served(new URL(route.request().url()).pathname);
        if (content === null) return route.fulfill({ status: 404 });
        return route.fulfill({
          status: 200,
          body: content,
          contentType: content.startsWith('<!doctype') ? 'text/html' : 'text/javascript',
        });
      });
      await browser.page.goto(`${server().url}/__client/index.html`);
      // A module script of the page's own loads the package (vitest would rewrite an import() in evaluate).
      await browser.page.addScriptTag({
        type: 'module',
        content: "import * as client from '/__client/dist/index.js'; window.taskgateClient = client;",
      });
      await browser.page.waitForFunction(() => 'taskgateClient' in globalThis);
      const result = await browser.page.evaluate(
        async ({ email, password, body, headers, secret }) => {
          const { Taskgate, TaskgateError, verifyWebhook } = (globalThis as unknown as { taskgateClient: ClientModule }).taskgateClient;
          const tg = new Taskgate();
          await tg.auth.login({ email, password });
          const me = await tg.me.get();
          const workspace = await tg.workspaces.create({ name: 'From the browser' });
          let missing = '';
          try {
            await tg.tasks.get('tsk_missing');
          } catch (error) {
            missing = error instanceof TaskgateError ? `${error.status} ${error.code}` : String(error);
          }
          const payload = await verifyWebhook(body, headers, secret);
          let forged = '';
          await verifyWebhook(body.replace('tsk_1', 'tsk_2'), headers, secret).catch((e: Error) => (forged = e.name));
          const names = (await tg.workspaces.list().all()).map((w) => w.name);
          const answer = { me: me.email, workspaceId: workspace.id, names, missing, payloadType: payload.type, forged };
          const page = globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } };
          page.document.getElementById('out').textContent = JSON.stringify(answer, null, 2);
          return answer;
        },
        { email: user.email, password: user.password, body, headers, secret },
      );

      expect(result).toMatchObject({
        me: user.email,
        names: ['From the browser'],
        missing: '404 NOT_FOUND',
        payloadType: 'task.created',
        forged: 'WebhookVerificationError',
      });
      // The session is the browser's cookie, not a token the page handled.
      expect((await browser.context.cookies()).map((c) => c.name)).toContain('tg_session');
      await browser.screenshot(`client-smoke-${server().dialect}`);
      expect(browser.problems.filter((p) => !p.includes('404'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
