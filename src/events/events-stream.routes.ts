import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { Forbidden, IdParams, NotFound, Unavailable } from '../http/schemas.js';
import { EventStreamHub } from './event-stream-hub.js';
import { RECONNECT_MS } from './event-stream.js';
import { openEventStream } from './event-stream.service.js';
import { EventStreamBody, EventStreamHeaders, EventStreamQuery } from './events.schemas.js';

const STREAM_DESCRIPTION =
  "Needs `events:read`, for sessions and tokens alike. Server-Sent Events of the workspace's domain events as they " +
  'are recorded, by any server process: the same Event objects as `GET …/events`, oldest first. Each event is sent as ' +
  '`id: <position>`, `event: <type>` and `data: <Event JSON>`; the stream sends its position as an `id` on opening and with ' +
  'the `: ping` comment that comes every 15 s by default. ' +
  'Reconnect with `Last-Event-ID` (or `?after=`) set to the last `id` received and nothing is ' +
  "missed or repeated (after an event's own `id`, a few events may be repeated on PostgreSQL: tell them apart by `id`). " +
  "A token limited to some projects receives only those projects' events. " +
  'The caller is authorised again before events are sent and at every ping: ' +
  'once its credential is revoked, disabled or expired, or it loses `events:read` or the workspace, the stream sends ' +
  '`event: end` with `data: {"code","message"}` (the code the refusal would have) and closes; do not reconnect then. A ' +
  'stream closed without `end` (a server restart, a reader too slow to keep up) should be reopened. Each credential may hold ' +
  'a few streams open at once per server process (429 TOO_MANY_STREAMS beyond).';

export function eventStreamRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const hub = new EventStreamHub(
      ctx.db,
      ctx.dialect,
      { pollMs: ctx.config.eventStreamPollMs, maxPerCredential: ctx.config.eventStreamsPerCredential },
      app.log,
    );
    // Open streams would keep the server from closing: end them as it starts to (clients reconnect elsewhere).
    app.addHook('preClose', async () => hub.close());

    app.get(
      '/workspaces/:id/events/stream',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['events'],
          operationId: 'events.stream',
          summary: "The workspace's domain events as they happen (Server-Sent Events)",
          description: STREAM_DESCRIPTION,
          params: IdParams,
          querystring: EventStreamQuery,
          headers: EventStreamHeaders,
          response: {
            200: {
              description:
                `A \`text/event-stream\`: \`retry: ${RECONNECT_MS}\` with the start \`id\`, then per event \`id\`, \`event\` ` +
                'and `data` lines, `: ping` comments with the current `id`, and `event: end` when the caller lost access.',
              content: { 'text/event-stream': { schema: EventStreamBody } },
            },
            ...Forbidden,
            ...NotFound,
            ...Unavailable,
          },
        },
      },
      async (request, reply) => {
        await openEventStream(ctx, hub, request, reply, {
          principal: principalOf(request),
          workspaceId: request.params.id,
          projectId: request.query.projectId ?? null,
          lastEventId: request.headers['last-event-id'],
          after: request.query.after,
        });
      },
    );
  };
}
