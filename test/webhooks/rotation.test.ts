import { Webhook } from 'standardwebhooks';
import { afterEach, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, FAST_WEBHOOKS, hookedWorkspace } from './helpers.js';
import type { Receiver } from './receiver.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

function verifies(secret: string, request: { body: string; headers: Record<string, string> }): boolean {
  try {
    new Webhook(secret).verify(request.body, request.headers);
    return true;
  } catch {
    return false;
  }
}

describeEachDialect('webhook secret rotation', (app) => {
  it('signs with both secrets during the grace period', async () => {
    const hooked = await hookedWorkspace(app());
    receivers.push(hooked.receiver);
    const rotated = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/rotate-secret`, { token: hooked.owner.token, body: { graceSeconds: 3600 } });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(hooked.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3500_000);

    await addSomeone(app(), hooked);
    const request = await hooked.receiver.nth(0);
    const signatures = request.headers['webhook-signature']?.split(' ') ?? [];
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => s.startsWith('v1,'))).toBe(true);
    expect(verifies(newSecret, request)).toBe(true);
    expect(verifies(hooked.secret, request)).toBe(true);
  });

  it('drops the old secret at once with no grace', async () => {
    const hooked = await hookedWorkspace(app());
    receivers.push(hooked.receiver);
    const rotated = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/rotate-secret`, { token: hooked.owner.token, body: { graceSeconds: 0 } });
    expect(rotated.body.previousSecretExpiresAt).toBeNull();
    await addSomeone(app(), hooked);
    const request = await hooked.receiver.nth(0);
    expect(request.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(verifies(rotated.body.secret, request)).toBe(true);
    expect(verifies(hooked.secret, request)).toBe(false);
  });

  it('keeps the old secret for a day when no grace is given, and records the rotation', async () => {
    const hooked = await hookedWorkspace(app());
    receivers.push(hooked.receiver);
    const rotated = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/rotate-secret`, { token: hooked.owner.token });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(86_000_000);
    const audit = await app().ctx.db.selectFrom('audit_log').select(['action', 'user_id']).where('target_id', '=', hooked.webhookId).orderBy('id').execute();
    expect(audit).toEqual([{ action: 'webhook.created', user_id: hooked.owner.id }, { action: 'webhook.secret_rotated', user_id: hooked.owner.id }]);
  });
}, FAST_WEBHOOKS);
