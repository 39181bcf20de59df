import fc from 'fast-check';
import { generateToken } from '../../src/credentials/token-format.js';
import type { Fixtures, ResourceKind } from './fixtures.js';
import { hostileString, invalidArbitrary, invalidPathParam, oddValue, RAW_ESCAPES } from './mutations.js';
import type { Operation, Parameter } from './openapi-model.js';
import { deref, validArbitrary, type JsonSchema, type SchemaContext } from './schema-arbitrary.js';

export type AuthKind = 'pat' | 'session' | 'admin' | 'member' | 'none' | 'forged';

/** One request the fuzzer will send, and what it meant by it. */
export interface PlannedRequest {
  operation: Operation;
  invalid: boolean;
  /** Which part was mutated (`body-value`, `path`, `query-unknown`…), for the report. */
  mutation: string;
  auth: AuthKind;
  method: string;
  /** Path and query, already encoded. */
  url: string;
  pathParams: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
  /** The JSON value sent, when the body was JSON (to ask the document whether it was valid input). */
  bodyValue?: unknown;
}

/**
 * Operations that would take the fixtures away mid-run if they succeeded: signing out the fuzzer's
 * session, revoking every token (the personal token with it) or every other session. They are fuzzed
 * only with input the route must refuse before acting (an unknown field, a body where none is taken,
 * malformed JSON), so a success is itself a finding.
 */
const ONLY_REFUSABLE_INPUT = new Set(['auth.logout', 'tokens.revokeAll', 'sessions.revokeOthers']);

/** Mutations every route must refuse (strict input): a success after one of them is a finding. */
export const SURELY_REFUSED = new Set(['query-unknown', 'body-unknown-field', 'body-unexpected', 'body-malformed']);

/**
 * Kinds that anchor every other fixture: a DELETE (or an archive) with a valid id targets only what
 * the fuzzer itself created, never the fixture workspace, space, project, agent or webhook. The
 * personal token the fuzzer uses and the owner's current session are never in any pool at all.
 */
const ANCHORS = new Set<ResourceKind>(['workspace', 'space', 'project', 'agent', 'webhook']);
const ARCHIVING = new Set(['projects.update']);
/** Blocking a user ends their sessions: only users the fuzzer registered are blocked, never the member. */
const ENDING_SESSIONS = new Set(['admin.blockUser']);

const SEGMENT_KINDS: Record<string, ResourceKind> = {
  workspaces: 'workspace',
  spaces: 'space',
  projects: 'project',
  tasks: 'task',
  labels: 'label',
  agents: 'agent',
  webhooks: 'webhook',
  'webhook-deliveries': 'delivery',
  tokens: 'token',
  'access-tokens': 'accessToken',
  sessions: 'session',
  users: 'user',
  members: 'user',
  assignees: 'user',
  invitations: 'invitation',
};

/** Field and parameter names whose realistic values come from the fixtures. */
const NAME_KINDS: Record<string, ResourceKind> = {
  workspaceId: 'workspace',
  spaceId: 'space',
  projectId: 'project',
  projectIds: 'project',
  labelId: 'label',
  label: 'label',
  userId: 'user',
  agentId: 'agent',
};

function pathKinds(operation: Operation): Map<string, ResourceKind> {
  const kinds = new Map<string, ResourceKind>();
  const segments = operation.path.split('/');
  segments.forEach((segment, i) => {
    const match = /^\{(.+)\}$/.exec(segment);
    if (match) kinds.set(match[1]!, SEGMENT_KINDS[segments[i - 1] ?? ''] ?? 'workspace');
  });
  return kinds;
}

const AUTH_WEIGHTS: Array<[AuthKind, number]> = [
  ['pat', 45],
  ['session', 35],
  ['admin', 4],
  ['none', 8],
  ['forged', 8],
];

/** Credentials that look right and are not: a well-formed unknown token, or a broken header. */
const forgedAuthorization = fc.oneof(
  fc.constantFrom('personal', 'session', 'agent', 'workspace').map((kind) => `Bearer ${generateToken(kind as never)}`),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'bearer tgp_x',
    `Bearer tgp_${'A'.repeat(300)}`,
    'Bearer \u00e9\u00e9',
    'Token abc',
  ),
);

export class RequestGenerator {
  private readonly ctx: SchemaContext;

  constructor(
    private readonly fixtures: Fixtures,
    resolve: (ref: string) => JsonSchema,
  ) {
    this.ctx = { resolve, hint: (name, schema) => this.hint(name, schema) };
  }

  /** Current ids of a kind: fixtures and (unless `createdOnly`) what the fuzzer made. */
  ids(kind: ResourceKind, createdOnly = false): string[] {
    return [...(createdOnly ? [] : (this.fixtures.core.get(kind) ?? [])), ...(this.fixtures.created.get(kind) ?? [])];
  }

  /** A value picked from a pool read when the value is generated (the pools grow during the run). */
  private pick(pool: () => readonly string[], fallback: fc.Arbitrary<string>): fc.Arbitrary<string> {
    return fc.tuple(fc.nat(), fallback).map(([i, other]) => {
      const values = pool();
      return values.length > 0 ? values[i % values.length]! : other;
    });
  }

  /**
   * An id of a kind: the fixtures as often as what the fuzzer created (which soon outnumbers them and
   * mostly lives in other workspaces), so related ids still belong together.
   */
  private pickId(kind: ResourceKind, createdOnly: boolean, fallback: fc.Arbitrary<string>): fc.Arbitrary<string> {
    const created = this.pick(() => this.ids(kind, true), fallback);
    if (createdOnly) return created;
    return fc.oneof(
      this.pick(() => this.fixtures.core.get(kind) ?? [], created),
      created,
    );
  }

  private hint(name: string, schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
    const anyId = fc.stringMatching(/^[a-z]{3}_[A-Za-z0-9]{10,26}$/);
    const kind = NAME_KINDS[name];
    if (kind) {
      const one = this.pickId(kind, false, anyId);
      return schema.type === 'array' || name === 'projectIds' ? fc.array(one, { minLength: 1, maxLength: 2 }) : one;
    }
    const f = this.fixtures;
    switch (name) {
      case 'assignee':
        return fc.oneof(
          fc.constant('me'),
          this.pick(() => [f.owner.id, ...this.ids('user'), ...this.ids('agent')], anyId),
        );
      case 'email':
        return fc.oneof(
          this.pick(() => f.emails, fc.emailAddress()),
          this.pick(() => f.registeredEmails, fc.emailAddress()),
        );
      case 'password':
        return fc.constant(f.owner.password);
      case 'status':
      case 'key':
        return this.pick(() => f.statusKeys, fc.constant('todo'));
      case 'permissions':
        return fc.oneof(fc.constant(null), fc.subarray(f.permissions, { minLength: 1 }));
      case 'events':
        return fc.subarray(f.eventTypes, { minLength: 1, maxLength: Math.min(4, f.eventTypes.length) });
      case 'type':
        return this.pick(() => f.eventTypes.filter((t) => !t.includes('*')), fc.constant('task.created'));
      case 'url':
        return fc.oneof(
          { weight: 4, arbitrary: fc.constant(f.webhookUrl) },
          {
            weight: 1,
            arbitrary: fc.constantFrom('http://localhost:1/x', 'https://[::1]:1/', 'ftp://127.0.0.1/', 'http://0.0.0.0:1/', 'not a url'),
          },
        );
      case 'statuses':
        // A replacement keeping in_progress and done (the rule), with some of the others, in any order.
        return fc
          .tuple(fc.shuffledSubarray(f.statusKeys.filter((k) => k !== 'in_progress' && k !== 'done')), fc.boolean())
          .map(([others, doneFirst]) =>
            [...(doneFirst ? ['done', 'in_progress'] : ['in_progress', 'done']), ...others].map((key) => ({
              key,
              name: key.replace('_', ' '),
            })),
          );
      case 'expiresAt':
        // Within a token's allowed lifetime mostly; any instant now and then (refused, but must answer 400).
        return fc.oneof(
          { weight: 4, arbitrary: fc.integer({ min: 3_600, max: 30 * 86_400 }).map((s) => new Date(Date.now() + s * 1000).toISOString()) },
          { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
        );
      case 'rateLimitPerMinute':
        return fc.integer({ min: 1, max: 100 });
      case 'cursor':
        return this.pick(() => f.cursors, fc.base64String({ maxLength: 40 }));
      default:
        return undefined;
    }
  }

  private validPathParam(operation: Operation, param: string, kind: ResourceKind): fc.Arbitrary<string> {
    const isTarget = pathKinds(operation).size > 0 && [...pathKinds(operation).keys()].pop() === param;
    const guarded =
      isTarget &&
      (((operation.method === 'DELETE' || ARCHIVING.has(operation.id)) && ANCHORS.has(kind)) || ENDING_SESSIONS.has(operation.id));
    const anyId = fc.stringMatching(/^[A-Za-z0-9_]{1,64}$/);
    if (param === 'assigneeId') return this.pick(() => [...this.ids('user'), ...this.ids('agent'), this.fixtures.owner.id], anyId);
    return this.pickId(kind, guarded, anyId);
  }

  private queryValue(parameter: Parameter): fc.Arbitrary<string> {
    return validArbitrary(parameter.schema, this.ctx, parameter.name).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  }

  /** Valid parts of a request: path ids from the pools, query and headers and body from the schemas. */
  private validParts(operation: Operation) {
    const kinds = pathKinds(operation);
    const independent = fc.record(Object.fromEntries([...kinds].map(([name, kind]) => [name, this.validPathParam(operation, name, kind)])));
    // Half the time, parameters known to belong together (a task and one of its assignees), when known.
    const linked = this.pick(() => (this.fixtures.links.get(operation.id) ?? []).map((_, i) => String(i)), fc.constant('')).map((i) =>
      i === '' ? undefined : this.fixtures.links.get(operation.id)![Number(i)],
    );
    const path = fc
      .tuple(independent, linked, fc.boolean())
      .map(([own, known, useKnown]) => (useKnown && known ? { ...own, ...known } : own));
    const queryParams = operation.parameters.filter((p) => p.in === 'query');
    const query = fc
      .tuple(...queryParams.map((p) => (p.required ? this.queryValue(p) : fc.option(this.queryValue(p), { freq: 2, nil: undefined }))))
      .map((values) =>
        values
          .map((v, i) => [queryParams[i]!.name, v] as [string, string | undefined])
          .filter((e): e is [string, string] => e[1] !== undefined),
      );
    const headerParams = operation.parameters.filter((p) => p.in === 'header');
    // Only what an HTTP client can send in a header: printable ASCII, no surrounding blanks.
    const headerValue = (p: Parameter) => this.queryValue(p).map((v) => v.replace(/[^\x20-\x7e]/g, '').trim());
    const headers = fc
      .tuple(...headerParams.map((p) => fc.option(headerValue(p), { nil: undefined })))
      .map(
        (values) =>
          Object.fromEntries(values.map((v, i) => [headerParams[i]!.name, v]).filter(([, v]) => v !== undefined)) as Record<string, string>,
      );
    const body = operation.body
      ? operation.body.required
        ? validArbitrary(operation.body.schema, this.ctx)
        : fc.option(validArbitrary(operation.body.schema, this.ctx), { freq: 3, nil: undefined })
      : fc.constant(undefined);
    return fc.record({ path, query, headers, body });
  }

  /** What the invalid request breaks, among what the operation has. */
  private mutations(operation: Operation): string[] {
    if (ONLY_REFUSABLE_INPUT.has(operation.id))
      return operation.body ? ['body-unknown-field', 'body-malformed'] : ['query-unknown', 'body-unexpected', 'body-malformed'];
    const out = ['query-unknown', 'query-duplicate', 'header', 'auth-header'];
    if (pathKinds(operation).size > 0) out.push('path', 'path', 'path');
    if (operation.parameters.some((p) => p.in === 'query')) out.push('query-value', 'query-value');
    if (operation.body) out.push('body-value', 'body-value', 'body-value', 'body-odd-value', 'body-unknown-field', 'body-raw', 'body-raw');
    else if (operation.method !== 'GET') out.push('body-unexpected', 'body-raw');
    return out;
  }

  private mutated(operation: Operation, mutation: string, parts: Parts): fc.Arbitrary<Parts> {
    switch (mutation) {
      case 'path':
        return fc
          .tuple(fc.constantFrom(...pathKinds(operation).keys()), invalidPathParam)
          .map(([name, bad]) => ({ ...parts, path: { ...parts.path, [name]: bad } }));
      case 'query-value': {
        const params = operation.parameters.filter((p) => p.in === 'query');
        return fc.constantFrom(...params).chain((p) =>
          invalidArbitrary(p.schema, this.ctx).map((bad) => ({
            ...parts,
            query: [
              ...parts.query.filter(([n]) => n !== p.name),
              [p.name, typeof bad === 'string' ? bad : (JSON.stringify(bad) ?? '')],
            ] as Array<[string, string]>,
          })),
        );
      }
      case 'query-unknown':
        return fc
          .tuple(fc.constantFrom('unknown', 'limit ', 'LIMIT', '__proto__', 'a[b]'), hostileString)
          .map(([name, value]) => ({ ...parts, query: [...parts.query, [name, value]] as Array<[string, string]> }));
      case 'query-duplicate': {
        const param = operation.parameters.find((p) => p.in === 'query');
        return fc.constant({
          ...parts,
          query: [...parts.query, [param?.name ?? 'limit', '1'], [param?.name ?? 'limit', '2']] as Array<[string, string]>,
        });
      }
      case 'header':
        return fc.oneof(
          fc
            .constantFrom('x-request-id', 'if-match', 'accept', 'accept-encoding', 'cookie', 'origin', 'sec-fetch-site', 'x-forwarded-for')
            .chain((name) =>
              fc
                .oneof(
                  fc.constantFrom(
                    '',
                    ' ',
                    '*',
                    'W/"1"',
                    '"999999999999"',
                    'tg_session=tgs_bogus',
                    'https://evil.example',
                    'cross-site',
                    'null',
                    '::1, 10.0.0.1',
                  ),
                  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
                )
                .map((value) => ({ ...parts, headers: { ...parts.headers, [name]: value } })),
            ),
        );
      case 'auth-header':
        return forgedAuthorization.map((value) => ({ ...parts, authorization: value }));
      case 'body-value':
        return invalidArbitrary(operation.body!.schema, this.ctx).map((bad) => ({ ...parts, body: bad }));
      case 'body-odd-value': {
        // Odd but possibly valid: one field of the body becomes odd text or a huge number.
        const fields = Object.keys((deref(operation.body!.schema, this.ctx).properties ?? {}) as Record<string, unknown>);
        if (fields.length === 0) return oddValue.map((body) => ({ ...parts, body }));
        return fc
          .tuple(fc.constantFrom(...fields), oddValue)
          .map(([name, odd]) => ({ ...parts, body: { ...(isObject(parts.body) ? parts.body : {}), [name]: odd } }));
      }
      case 'body-unknown-field':
        // (`__proto__` goes in a raw body: a JSON parser may drop it, leaving a valid body.)
        return fc
          .constantFrom('unknownField', 'id', 'isAdmin')
          .map((name) => ({ ...parts, body: { ...(isObject(parts.body) ? parts.body : {}), [name]: true } }));
      case 'body-unexpected':
        return fc.constantFrom<unknown>({ x: 1 }, [1], 'text', 0, true).map((body) => ({ ...parts, body }));
      case 'body-raw':
        return RAW_BODIES.map((raw) => ({ ...parts, raw }));
      case 'body-malformed':
        return MALFORMED_JSON.map((body) => ({ ...parts, raw: { contentType: 'application/json', body } }));
      default:
        throw new Error(`unknown mutation ${mutation}`);
    }
  }

  /**
   * Requests for one operation: valid ones (reaching the code behind validation), or (`invalid`) ones
   * broken in exactly one part, the rest valid, so the refusal is about that part.
   */
  arbitrary(operation: Operation, invalid: boolean): fc.Arbitrary<PlannedRequest> {
    const isInvalid = invalid || ONLY_REFUSABLE_INPUT.has(operation.id);
    const auth = fc.oneof(...AUTH_WEIGHTS.map(([kind, weight]) => ({ weight, arbitrary: fc.constant(kind) })));
    return fc
      .tuple(
        auth,
        this.validParts(operation).map((p): Parts => ({ ...p, authorization: undefined, raw: undefined })),
      )
      .chain(([authKind, parts]) => {
        if (!isInvalid) return fc.constant(this.build(operation, false, 'none', authKind, parts));
        return fc
          .constantFrom(...this.mutations(operation))
          .chain((mutation) =>
            this.mutated(operation, mutation, parts).map((broken) => this.build(operation, true, mutation, authKind, broken)),
          );
      });
  }

  /** Operations that refused the personal token for being one (SESSION_REQUIRED, TOKEN_CANNOT_MANAGE_TOKENS). */
  private readonly sessionOnly = new Set<string>();

  /**
   * Learns from a refusal: once an operation has refused the personal token as such, its requests go
   * with the session instead, so they reach what lies behind the refusal.
   */
  learnRefusal(operationId: string, auth: AuthKind, code: string | undefined): void {
    if (auth === 'pat' && (code === 'SESSION_REQUIRED' || code === 'TOKEN_CANNOT_MANAGE_TOKENS')) this.sessionOnly.add(operationId);
  }

  private credentialFor(operation: Operation, auth: AuthKind): AuthKind {
    if (auth !== 'pat' && auth !== 'session') return auth;
    // Instance administration is for the admin; the others would only ever hear 403 ADMIN_ONLY.
    if (operation.path.includes('/admin/')) return 'admin';
    // The invitee's side: invitations the fuzzer sends to the member's address are theirs to answer.
    if (operation.path.startsWith('/api/v1/invitations/') || operation.id === 'invitations.listMine') return 'member';
    return auth === 'pat' && this.sessionOnly.has(operation.id) ? 'session' : auth;
  }

  private build(operation: Operation, invalid: boolean, mutation: string, chosenAuth: AuthKind, parts: Parts): PlannedRequest {
    const auth = this.credentialFor(operation, chosenAuth);
    let url = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(parts.path[name] ?? ''));
    if (parts.query.length > 0) url += `?${parts.query.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&')}`;
    const headers: Record<string, string> = { ...parts.headers };
    const credential = auth === 'none' ? undefined : auth === 'forged' ? generateToken('personal') : this.fixtures.credentials[auth];
    if (parts.authorization !== undefined) headers.authorization = parts.authorization;
    else if (credential) headers.authorization = `Bearer ${credential}`;
    const planned: PlannedRequest = {
      operation,
      invalid,
      mutation,
      auth: parts.authorization !== undefined ? 'forged' : auth,
      method: operation.method,
      url,
      pathParams: parts.path,
      headers,
    };
    if (parts.raw) {
      headers['content-type'] = parts.raw.contentType;
      planned.body = parts.raw.body;
    } else if (parts.body !== undefined) {
      headers['content-type'] = 'application/json';
      planned.body = JSON.stringify(parts.body);
      planned.bodyValue = parts.body;
    }
    return planned;
  }
}

interface Parts {
  path: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
  raw: { contentType: string; body: string } | undefined;
}

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD, as any client would send it). */
function encodeSegment(value: string): string {
  if (RAW_ESCAPES.includes(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON no parser accepts: what a destructive operation is fuzzed with (it must refuse before acting). */
const MALFORMED_JSON = fc.constantFrom('{', '{"a":}', 'nul', '[', '"', '{"a" 1}', '\u0000');

/** Bodies broken below the JSON value: syntax, encoding, media type, size. */
const RAW_BODIES: fc.Arbitrary<{ contentType: string; body: string }> = fc.oneof(
  fc
    .oneof(
      MALFORMED_JSON,
      fc.constantFrom(
        '{"a":1,"a":2}',
        '\uFEFF{}',
        '{"__proto__":{"isAdmin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '1e999999',
        '',
      ),
    )
    .map((body) => ({ contentType: 'application/json', body })),
  fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/jsonx',
      'application/xml',
      '',
    )
    .map((contentType) => ({ contentType, body: '{"name":"x"}' })),
  fc.constantFrom(1_000, 10_000).map((depth) => ({ contentType: 'application/json', body: '['.repeat(depth) + ']'.repeat(depth) })),
  fc.constant({ contentType: 'application/json', body: `{"name":"${'z'.repeat(300_000)}"}` }),
);
