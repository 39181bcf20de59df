import { expect, it } from 'vitest';
import { createUser, createWorkspace, expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect, type HttpResult, type TestApp } from '../helpers/harness.js';
import { ok } from '../tasks/fixtures.js';

/** One token kind as these tests use it: a token with an allowlist, a way to change it, and where its refusals are audited. */
interface IssuedCredential {
  token: string;
  /** The id its refused uses are audited under (audit_log.target_id). */
  auditedId: string;
  /** A read the token may make: 200 when it is allowed. */
  read(headers?: Record<string, string>): Promise<HttpResult>;
  patch(allowedIps: string[] | null): Promise<HttpResult>;
}

interface Kind {
  name: string;
  refusedAction: string;
  /** Where its last use is buffered (ctx.usage), under the audited id. */
  usageTable: string;
  create(t: TestApp, owner: TestUser, allowedIps?: unknown): Promise<HttpResult & { issued?: IssuedCredential }>;
}

async function ownerWithWorkspace(t: TestApp) {
  const owner = await createUser(t);
  return { owner, workspace: await createWorkspace(t, owner) };
}

const KINDS: Kind[] = [
  {
    name: 'personal token',
    refusedAction: 'token.use_refused',
    usageTable: 'personal_access_tokens',
    async create(t, owner, allowedIps) {
      const res = await t.request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'ip', allowedIps } });
      if (res.status !== 201) return res;
      const issued: IssuedCredential = {
        token: res.body.token,
        auditedId: res.body.id,
        read: (headers) => t.request('GET', '/api/v1/me', { token: res.body.token, headers }),
        patch: (ips) => t.request('PATCH', `/api/v1/tokens/${res.body.id}`, { token: owner.token, body: { allowedIps: ips } }),
      };
      return { ...res, issued };
    },
  },
  {
    name: 'workspace token',
    refusedAction: 'access_token.use_refused',
    usageTable: 'workspace_access_tokens',
    async create(t, owner, allowedIps) {
      const workspace = await createWorkspace(t, owner);
      const path = `/api/v1/workspaces/${workspace.id}/access-tokens`;
      const res = await t.request('POST', path, { token: owner.token, body: { label: 'ip', scope: 'viewer', allowedIps } });
      if (res.status !== 201) return res;
      const issued: IssuedCredential = {
        token: res.body.token,
        auditedId: res.body.id,
        read: (headers) => t.request('GET', `/api/v1/workspaces/${workspace.id}`, { token: res.body.token, headers }),
        patch: (ips) => t.request('PATCH', `${path}/${res.body.id}`, { token: owner.token, body: { allowedIps: ips } }),
      };
      return { ...res, issued };
    },
  },
  {
    name: 'agent token',
    refusedAction: 'agent_token.use_refused',
    usageTable: 'agent_tokens',
    async create(t, owner, allowedIps) {
      const workspace = await createWorkspace(t, owner);
      const body = { name: 'ip bot', allowedIps };
      const res = await t.request('POST', `/api/v1/workspaces/${workspace.id}/agents`, { token: owner.token, body });
      if (res.status !== 201) return res;
      const agentId: string = res.body.agent.id;
      const tokenId = await t.ctx.db.selectFrom('agent_tokens').select('id').where('agent_id', '=', agentId).executeTakeFirstOrThrow();
      const issued: IssuedCredential = {
        token: res.body.token,
        auditedId: tokenId.id,
        read: (headers) => t.request('GET', '/api/v1/me', { token: res.body.token, headers }),
        patch: (ips) => t.request('PATCH', `/api/v1/agents/${agentId}`, { token: owner.token, body: { allowedIps: ips } }),
      };
      // The agent, not its token, holds the list: the view shows it on the agent.
      return { ...res, body: res.body.agent, issued };
    },
  },
];

async function issue(t: TestApp, kind: Kind, allowedIps?: unknown): Promise<IssuedCredential> {
  const { owner } = await ownerWithWorkspace(t);
  const res = await kind.create(t, owner, allowedIps);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (!res.issued) throw new Error('not issued');
  return res.issued;
}

async function refusedUses(t: TestApp, kind: Kind, targetId: string) {
  return t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'ip', 'details'])
    .where('action', '=', kind.refusedAction)
    .where('target_id', '=', targetId)
    .execute();
}

for (const kind of KINDS) {
  describeEachDialect(`IP allowlists: ${kind.name}`, (app) => {
    it('works from an address in its list, and shows the list normalised', async () => {
      const { owner } = await ownerWithWorkspace(app());
      const created = await kind.create(app(), owner, ['127.0.0.1', '10.0.0.0/8', '10.0.0.0/8', '2001:DB8:0::/32']);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.allowedIps).toEqual(['127.0.0.1/32', '10.0.0.0/8', '2001:db8::/32']);
      expect((await created.issued?.read())?.status).toBe(200);
      expect(app().ctx.usage.peek(kind.usageTable, created.issued?.auditedId ?? '')).toMatchObject({ ip: '127.0.0.1' });
    });

    it('refuses every use from outside its list with 403 IP_NOT_ALLOWED, audited once', async () => {
      const issued = await issue(app(), kind, ['10.0.0.0/8']);
      for (let i = 0; i < 3; i++) {
        const res = await issued.read();
        expectError(res, 403, 'IP_NOT_ALLOWED');
        expect(res.body).toMatchObject({ refusedBy: 'ip_allowlist', ip: '127.0.0.1' });
      }
      const audited = await refusedUses(app(), kind, issued.auditedId);
      expect(audited).toHaveLength(1);
      expect(audited[0]?.ip).toBe('127.0.0.1');
      expect(JSON.parse(String(audited[0]?.details))).toMatchObject({ reason: 'ip_not_allowed' });
      // A refused use is no use: nothing is buffered to be written as its last use.
      expect(app().ctx.usage.peek(kind.usageTable, issued.auditedId)).toBeUndefined();
    });

    it('takes IPv6 entries: ::1/128 alone does not let in 127.0.0.1', async () => {
      const issued = await issue(app(), kind, ['::1/128']);
      expectError(await issued.read(), 403, 'IP_NOT_ALLOWED');
      const widened = await issued.patch(['::1/128', '127.0.0.0/8']);
      expect(ok(widened).allowedIps).toEqual(['::1/128', '127.0.0.0/8']);
      expect((await issued.read()).status).toBe(200);
    });

    it('refuses entries that are no CIDR with a 400 naming allowedIps, on creation and on edit', async () => {
      const { owner } = await ownerWithWorkspace(app());
      for (const wrong of [['10.0.0.0/33'], ['not-an-ip'], ['1.2.3.4/8/1'], ['fe80::1%eth0'], ['::1/129'], ['10.0.0.0/-1']]) {
        const res = await kind.create(app(), owner, wrong);
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(JSON.stringify(res.body), JSON.stringify(wrong)).toContain('allowedIps');
      }
      expectError(await kind.create(app(), owner, []), 400, 'VALIDATION_FAILED');
      expectError(
        await kind.create(
          app(),
          owner,
          Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`),
        ),
        400,
        'VALIDATION_FAILED',
      );
      const issued = await issue(app(), kind, ['127.0.0.1']);
      expectError(await issued.patch(['300.1.1.1']), 400, 'VALIDATION_FAILED');
      expect((await issued.read()).status).toBe(200);
    });

    it('is cleared with null: the token works from anywhere again', async () => {
      const issued = await issue(app(), kind, ['10.0.0.0/8']);
      expectError(await issued.read(), 403, 'IP_NOT_ALLOWED');
      expect(ok(await issued.patch(null)).allowedIps).toBeNull();
      expect((await issued.read()).status).toBe(200);
    });

    it('has no list unless one is given', async () => {
      const { owner } = await ownerWithWorkspace(app());
      const created = await kind.create(app(), owner);
      expect(created.body.allowedIps).toBeNull();
      expect((await created.issued?.read())?.status).toBe(200);
    });
  });

  describeEachDialect(
    `IP allowlists behind a trusted proxy: ${kind.name}`,
    (app) => {
      it('decides by the forwarded client address, IPv4 and IPv6', async () => {
        const issued = await issue(app(), kind, ['203.0.113.0/24', '2001:db8::/32']);
        expect((await issued.read({ 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);
        expect((await issued.read({ 'x-forwarded-for': '2001:db8::5' })).status).toBe(200);
        const refused = await issued.read({ 'x-forwarded-for': '198.51.100.1' });
        expectError(refused, 403, 'IP_NOT_ALLOWED');
        expect(refused.body.ip).toBe('198.51.100.1');
        // Without the header the address is the proxy's own, which the list does not hold.
        expectError(await issued.read(), 403, 'IP_NOT_ALLOWED');
        const audited = await refusedUses(app(), kind, issued.auditedId);
        expect(audited.map((entry) => entry.ip)).toEqual(['198.51.100.1']);
      });
    },
    { TASKGATE_TRUST_PROXY: 'loopback' },
  );
}
