import { Webhook } from 'standardwebhooks';
import { expect, it } from 'vitest';
import { secretBoxFor } from '../../src/webhooks/secret-box.js';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, FAST_WEBHOOKS, receiversClosedAfterEach } from './helpers.js';

const receivers = receiversClosedAfterEach();

function verifies(secret: string, request: { body: string; headers: Record<string, string> }): boolean {
  try {
    new Webhook(secret).verify(request.body, request.headers);
    return true;
  } catch {
    return false;
  }
}

describeEachDialect(
  'webhook secret rotation',
  (app) => {
    it('signs with both secrets during the grace period', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      const rotated = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/rotate-secret`, {
        token: hooked.owner.token,
        body: { graceSeconds: 3600 },
      });
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
      const hooked = await receivers.hookedWorkspace(app());
      const rotated = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/rotate-secret`, {
        token: hooked.owner.token,
        body: { graceSeconds: 0 },
      });
      expect(rotated.body.previousSecretExpiresAt).toBeNull();
      await addSomeone(app(), hooked);
      const request = await hooked.receiver.nth(0);
      expect(request.headers['webhook-signature']?.split(' ')).toHaveLength(1);
      expect(verifies(rotated.body.secret, request)).toBe(true);
      expect(verifies(hooked.secret, request)).toBe(false);
    });

    it('two rotations at once lose neither new secret: both still sign while in grace', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      const box = secretBoxFor(app().ctx.config);
      const rotate = () =>
        app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/rotate-secret`, {
          token: hooked.owner.token,
          body: { graceSeconds: 3600 },
        });
      let handedOut: string[] = [];
      // A few rounds, since two requests do not always overlap.
      for (let round = 0; round < 5; round++) {
        const rotations = await Promise.all([rotate(), rotate()]);
        expect(rotations.map((r) => r.status)).toEqual([200, 200]);
        handedOut = rotations.map((r) => r.body.secret as string);
        const row = await app().ctx.db.selectFrom('webhooks').selectAll().where('id', '=', hooked.webhookId).executeTakeFirstOrThrow();
        const kept = [row.secret_encrypted, row.previous_secret_encrypted ?? ''].map((sealed) => box.open(sealed, hooked.webhookId));
        expect(kept.sort(), `round ${round}`).toEqual([...handedOut].sort());
      }
      const ping = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/test`, { token: hooked.owner.token });
      expect(ping.status).toBe(202);
      const request = await hooked.receiver.nth(0);
      for (const secret of handedOut) expect(verifies(secret, request), 'a secret handed out by a rotation').toBe(true);
    });

    it('keeps the old secret for a day when no grace is given, and records the rotation', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      const rotated = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/rotate-secret`, { token: hooked.owner.token });
      expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
      expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(86_000_000);
      const audit = await app()
        .ctx.db.selectFrom('audit_log')
        .select(['action', 'user_id'])
        .where('target_id', '=', hooked.webhookId)
        .orderBy('id')
        .execute();
      expect(audit).toEqual([
        { action: 'webhook.created', user_id: hooked.owner.id },
        { action: 'webhook.secret_rotated', user_id: hooked.owner.id },
      ]);
    });
  },
  FAST_WEBHOOKS,
);
