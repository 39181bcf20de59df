import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Operation } from './openapi-model.js';
import type { JsonSchema } from './schema-arbitrary.js';

export interface SentRequest {
  operationId: string;
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Which credential went with it (`pat`, `session`, `none`, `forged`), never the secret itself. */
  auth: string;
  headers: Record<string, string>;
  /** The body as sent (cut to a readable length in reports). */
  body?: string;
  /** The fuzzer meant this request to be invalid (a mutation). */
  invalid: boolean;
}

export interface Received {
  status: number;
  text: string;
  headers: Headers;
}

export type FindingKind =
  | 'server-error'
  | 'undocumented-status'
  | 'not-json'
  | 'response-schema'
  | 'error-envelope'
  | 'missing-header'
  | 'accepted-invalid-body'
  | 'state-changed-by-4xx'
  | 'no-answer';

export interface Finding {
  kind: FindingKind;
  operationId: string;
  detail: string;
  request: SentRequest;
  response?: { status: number; body: string };
}

type Json = Record<string, any>;

function cut(text: string, length = 600): string {
  return text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text;
}

/** The schema with every local `$ref` pointing into the document registered as `doc`. */
function anchored(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchored);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema))
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `doc${value}` : anchored(value);
  return out;
}

export function findingOf(kind: FindingKind, request: SentRequest, detail: string, response?: Received): Finding {
  return {
    kind,
    operationId: request.operationId,
    detail,
    request: { ...request, ...(request.body !== undefined ? { body: cut(request.body) } : {}) },
    ...(response ? { response: { status: response.status, body: cut(response.text) } } : {}),
  };
}

/** Checks each answer against what the OpenAPI document promises for its operation. */
export class ResponseChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  private readonly compiled = new Map<JsonSchema, ValidateFunction>();
  private readonly errorEnvelope: ValidateFunction;

  constructor(document: Json) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(document, 'doc');
    this.errorEnvelope = this.ajv.compile({ $ref: 'doc#/components/schemas/Error' });
  }

  validator(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) this.compiled.set(schema, (validate = this.ajv.compile(anchored(schema) as Json)));
    return validate;
  }

  /** Whether `body` (parsed JSON) is valid input for the operation, by the document's own schema. */
  acceptsBody(operation: Operation, body: unknown): boolean {
    if (!operation.body) return body === undefined;
    // A body that may be left out may also be sent as JSON `null` or `{}`: src/http/strict-input.ts treats both as none.
    if (!operation.body.required && body === null) return true;
    return this.validator(operation.body.schema)(body);
  }

  /**
   * `offRoute`: the URL no longer matches the operation's template (an empty or dot-segment id), so
   * the answer belongs to no documented operation: only the general promises hold.
   */
  check(operation: Operation, offRoute: boolean, request: SentRequest, response: Received): Finding[] {
    const findings: Finding[] = [];
    const found = (kind: FindingKind, detail: string) => findings.push(findingOf(kind, request, detail, response));
    const { status } = response;
    if (status >= 500) found('server-error', `answered ${status}`);
    if (!response.headers.get('x-request-id')) found('missing-header', 'no x-request-id');
    if (!offRoute && status < 500 && !operation.responses.has(status)) {
      const code = /"code":"([A-Z_]+)"/.exec(response.text)?.[1] ?? 'no code';
      found('undocumented-status', `${status} (${code}) is not among ${[...operation.responses.keys()].join(', ')}`);
    }
    const documented = operation.responses.get(status);
    if (status === 204 || (status < 400 && documented?.mediaType === undefined && !offRoute)) {
      if (response.text !== '') found('response-schema', `${status} should have no body`);
      return findings;
    }
    if (status < 400 && documented?.mediaType !== 'application/json' && !offRoute) {
      // A stream (text/event-stream): the runner reads its headers only.
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.startsWith(documented!.mediaType!))
        found('response-schema', `content-type ${contentType}, documented ${documented!.mediaType}`);
      return findings;
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      found('not-json', `content-type ${response.headers.get('content-type')}`);
      return findings;
    }
    if (status >= 400) {
      if (!this.errorEnvelope(body)) found('error-envelope', this.ajv.errorsText(this.errorEnvelope.errors));
      else if ((body as Json).statusCode !== status)
        found('error-envelope', `statusCode ${(body as Json).statusCode} differs from the status ${status}`);
      if (status === 401 && !response.headers.get('www-authenticate') && !offRoute) found('missing-header', '401 without WWW-Authenticate');
      return findings;
    }
    if (documented?.schema && !offRoute) {
      const validate = this.validator(documented.schema);
      if (!validate(body)) found('response-schema', this.ajv.errorsText(validate.errors));
    }
    return findings;
  }
}
