import type { SwaggerOptions } from '@fastify/swagger';
import type { Config } from '../config/config.js';
import { hoistNamedSchemas } from './components.js';
import { documentedRouteSchema, errorResponses, finishOperation, RESPONSE_HEADERS } from './responses.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer carries an ETag (the resource's version); the OpenAPI document says so. */
    etag?: boolean;
  }
}

/** Every tag an operation may use, in the order the document lists them. */
export const TAGS = [
  { name: 'system', description: 'Health probes and the permission catalogue' },
  { name: 'auth', description: 'Registering, signing in and out' },
  { name: 'users', description: 'The caller, and instance administration' },
  { name: 'sessions', description: 'Signed-in browsers and CLIs' },
  { name: 'workspaces', description: 'Workspaces, their plan and settings' },
  { name: 'members', description: 'Who belongs to a workspace, with which role' },
  { name: 'spaces', description: 'Groups of projects' },
  { name: 'projects', description: 'Projects, which hold tasks' },
  { name: 'labels', description: 'Coloured labels put on tasks' },
  { name: 'tasks', description: 'Tasks: create, edit, assign, claim and complete' },
  { name: 'events', description: 'The domain events a workspace records' },
  { name: 'tokens', description: 'Personal access tokens (tgp_) and the audit log of your credentials' },
  { name: 'access-tokens', description: "Workspace access tokens (tgw_): a workspace's API keys" },
  { name: 'agents', description: 'Automated workers with their own tokens (tga_)' },
  { name: 'webhooks', description: 'Signed HTTP callbacks for events, and their delivery history' },
] as const;

/** The API's version, as the document states it. */
const VERSION = '0.1.0';

type Json = Record<string, unknown>;

/** Finishes the generated document: named schemas as components, error responses by reference. */
function finishDocument(document: Json): Json {
  const components = (document.components ?? {}) as Json;
  const schemas: Json = { ...(components.schemas as Json | undefined) };
  hoistNamedSchemas(document, schemas);
  const statuses = new Set<number>();
  for (const pathItem of Object.values(document.paths as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(pathItem)) for (const status of finishOperation(operation)) statuses.add(status);
  }
  document.components = { ...components, schemas, responses: errorResponses(statuses), headers: RESPONSE_HEADERS };
  return document;
}

/** The options of @fastify/swagger: the document's frame, and how each route is shown in it. */
export function openapiOptions(config: Pick<Config, 'port'>): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Taskgate API',
        version: VERSION,
        description:
          'Task management driven by scoped API tokens. Every error answers the `Error` envelope; lists answer ' +
          '`{ items, nextCursor }` and take `?cursor=` for the next page.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [
        {
          url: '{origin}',
          description: 'Your Taskgate server',
          variables: { origin: { default: `http://localhost:${config.port}`, description: 'Scheme, host and port of the server' } },
        },
      ],
      tags: [...TAGS],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A session token (tgs_) or an API token (tgp_, tgw_, tga_)' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'tg_session', description: 'The browser session set by sign-in' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: ({ schema, url, route }) => ({ schema: documentedRouteSchema(schema as Json | undefined, route) as never, url }),
    transformObject: (documentObject) =>
      ('openapiObject' in documentObject ? finishDocument(documentObject.openapiObject as Json) : documentObject.swaggerObject) as never,
  };
}
