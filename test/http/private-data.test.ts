import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addMember, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect, startTestApp, type TestApp } from '../helpers/harness.js';
import { createWebhook } from '../webhooks/helpers.js';
import { Receiver } from '../webhooks/receiver.js';
import { KEY_FILE_NAME, loadEncryptionKey } from '../../src/webhooks/secret-box.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describeEachDialect('webhook URLs seen by members who do not manage webhooks', (app) => {
  it('masks the query of the URL a webhook.disabled event carries: viewers read events', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const viewer = await createUser(app());
    await addMember(app(), owner, workspace, viewer, 'viewer');
    const receiver = await Receiver.start();
    closers.push(() => receiver.close());
    const url = `${receiver.url}?key=receiver-secret-1&channel=ops`;
    const { webhookId } = await createWebhook(app(), owner, workspace.id, { url, events: ['task.created'] });
    expect((await app().request('PATCH', `/api/v1/webhooks/${webhookId}`, { token: owner.token, body: { enabled: false } })).status).toBe(
      200,
    );
    const events = await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=webhook.disabled`, { token: viewer.token });
    expect(events.status, JSON.stringify(events.body)).toBe(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0].data.url).toBe(`${receiver.url}?key=***&channel=***`);
    expect(JSON.stringify(events.body)).not.toContain('receiver-secret-1');
    // Whoever manages the webhook still reads it whole.
    expect((await app().request('GET', `/api/v1/webhooks/${webhookId}`, { token: owner.token })).body.url).toBe(url);
  });
});

describeEachDialect(
  'webhook URL refusals',
  (app) => {
    it('say the address is not allowed, not what the host resolved to', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      for (const url of ['http://localhost:9/hook', 'http://hooks.localhost/hook']) {
        const res = await app().request('POST', `/api/v1/workspaces/${workspace.id}/webhooks`, {
          token: owner.token,
          body: { url, events: ['task.created'] },
        });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.error).toMatch(/not allowed/);
        expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|::1|resolves to/);
      }
    });
  },
  { TASKGATE_WEBHOOK_ALLOW_PRIVATE: 'false' },
);

describe('SQLite data files', () => {
  it('are created readable by their owner only (0600), in a folder only the owner can enter (0700)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-perm-'));
    closers.push(async () => fs.rmSync(root, { recursive: true, force: true }));
    const dataDir = path.join(root, 'data');
    const file = path.join(dataDir, 'taskgate.sqlite');
    // Whatever the umask: a permissive one must not make the files world-readable.
    const umask = process.umask(0o002);
    let t: TestApp;
    try {
      t = await startTestApp('sqlite', { DATABASE_URL: file });
    } finally {
      process.umask(umask);
    }
    closers.push(() => t.close());
    await createUser(t);
    const modeOf = (p: string) => fs.statSync(p).mode & 0o777;
    expect(modeOf(dataDir).toString(8)).toBe('700');
    for (const name of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(name).toString(8), name).toBe('600');
  });

  it('the webhook key, made on first use when no key is configured, is 0600 in a new 0700 folder (PostgreSQL setups too)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-perm-'));
    closers.push(async () => fs.rmSync(root, { recursive: true, force: true }));
    const dataDir = path.join(root, 'data');
    const umask = process.umask(0o002);
    try {
      loadEncryptionKey({ encryptionKey: null, dataDir });
    } finally {
      process.umask(umask);
    }
    expect((fs.statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
    expect((fs.statSync(path.join(dataDir, KEY_FILE_NAME)).mode & 0o777).toString(8)).toBe('600');
  });
});
