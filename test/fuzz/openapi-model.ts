import type { JsonSchema } from './schema-arbitrary.js';

type Json = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

interface DocumentedResponse {
  mediaType?: string;
  schema?: JsonSchema;
}

/** One operation of the document, as the fuzzer needs it. */
export interface Operation {
  id: string;
  method: string;
  /** The path template, `/api/v1/tasks/{id}`. */
  path: string;
  /** Public operations take no credential (`security: []`). */
  isPublic: boolean;
  parameters: Parameter[];
  body?: { schema: JsonSchema; required: boolean };
  /** Documented statuses, each with its body's media type and schema (none: no body, such as 204). */
  responses: Map<number, DocumentedResponse>;
}

export const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function resolvePointer(document: Json, ref: string): any {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported: ${ref}`);
  let node: any = document;
  for (const part of ref.slice(2).split('/')) node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (node === undefined) throw new Error(`Unresolved $ref ${ref}`);
  return node;
}

function documentedResponse(document: Json, response: Json): DocumentedResponse {
  const resolved = typeof response.$ref === 'string' ? resolvePointer(document, response.$ref) : response;
  const [mediaType, content] = Object.entries((resolved?.content ?? {}) as Record<string, Json>)[0] ?? [];
  return mediaType ? { mediaType, schema: content?.schema } : {};
}

/** Every operation of the document (read from the running app, so it follows the routes as they change). */
export function operationsOf(document: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const responses = new Map<number, DocumentedResponse>();
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>))
        responses.set(Number(status), documentedResponse(document, response));
      const requestBody = operation.requestBody as Json | undefined;
      const bodySchema = requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
      operations.push({
        id: operation.operationId as string,
        method: method.toUpperCase(),
        path,
        isPublic: Array.isArray(operation.security) && operation.security.length === 0,
        parameters: ((operation.parameters ?? []) as Json[]).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: p.schema ?? {},
        })),
        ...(bodySchema ? { body: { schema: bodySchema, required: requestBody?.required !== false } } : {}),
        responses,
      });
    }
  }
  return operations;
}
