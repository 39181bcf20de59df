import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalNow } from '../auth/authenticate.js';
import { authorize, type WorkspaceAccess } from '../authz/authorize.js';
import type { Principal } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { invalidField } from '../errors/validation.js';
import { parsePositionCursor, START, type EventPosition } from './event-position.js';
import type { EventStreamHub } from './event-stream-hub.js';
import { latestPosition, positionAfterEvent } from './event-stream.queries.js';
import { EventStream } from './event-stream.js';
import { failHijackedAnswer, startHijackedAnswer } from '../http/hijacked-answer.js';

const EVENT_ID_PREFIX = 'evt_';

/** What the per-credential bound counts: one session, or one token, however many requests use it. */
function credentialKey(principal: Principal): string {
  switch (principal.kind) {
    case 'session':
      return `session:${principal.sessionId}`;
    case 'personal_token':
    case 'workspace_token':
      return `${principal.kind}:${principal.token.id}`;
    case 'agent':
      return `agent:${principal.agent.tokenId}`;
  }
}

/** What a caller asked to stream. */
export interface StreamRequest {
  principal: Principal;
  workspaceId: string;
  /** Only this project's events. */
  projectId: string | null;
  lastEventId: string | undefined;
  after: string | undefined;
}

/** Where the stream starts: after `Last-Event-ID`, or `?after=`, or the workspace's latest event. */
async function startPosition(ctx: AppContext, { workspaceId, lastEventId, after }: StreamRequest): Promise<EventPosition> {
  const [given, field] = lastEventId ? [lastEventId, 'Last-Event-ID'] : [after, 'after'];
  if (!given) return (await latestPosition(ctx.db, ctx.dialect, workspaceId)) ?? START;
  if (!given.startsWith(EVENT_ID_PREFIX)) return parsePositionCursor(given, ctx.dialect, field);
  const position = await positionAfterEvent(ctx.db, ctx.dialect, workspaceId, given);
  if (position) return position;
  throw invalidField(field, 'is not an event of this workspace');
}

const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Proxies such as nginx would otherwise hold events back until their buffer fills.
  'x-accel-buffering': 'no',
};

/**
 * Authorises the caller, works out where the stream starts and takes one of the credential's stream
 * slots (answering 400, 403, 404 or 429 as usual while nothing is sent), then turns the answer into an
 * event stream fed by the hub until either side ends it.
 */
export async function openEventStream(
  ctx: AppContext,
  hub: EventStreamHub,
  request: FastifyRequest,
  reply: FastifyReply,
  wanted: StreamRequest,
): Promise<void> {
  const { principal, workspaceId, projectId } = wanted;
  const access = await authorize(ctx.db, principal, workspaceId, 'events:read', projectId ?? undefined);
  const position = await startPosition(ctx, wanted);
  const credential = credentialKey(principal);
  if (hub.closing) throw new AppError('SERVICE_UNAVAILABLE', 'This server is shutting down; connect again in a moment');
  if (!hub.claimSlot(credential)) {
    throw new AppError(
      'TOO_MANY_STREAMS',
      `This credential already has ${ctx.config.eventStreamsPerCredential} event streams open; close one first`,
    );
  }
  // The same credential, read again from the database as it is now: revoked, expired or demoted callers are refused.
  const recheck = async (): Promise<WorkspaceAccess | AppError> => {
    const now = await principalNow(ctx, request);
    if (now instanceof AppError) return now;
    return authorize(ctx.db, now, workspaceId, 'events:read', projectId ?? undefined).catch((err: unknown) => {
      if (err instanceof AppError) return err;
      throw err;
    });
  };
  // Until the stream exists the slot is this function's to give back; from then on, the stream's (when its socket closes).
  let stream: EventStream | null = null;
  try {
    startHijackedAnswer(request, reply, 200, EVENT_STREAM_HEADERS);
    stream = new EventStream(reply.raw, {
      workspaceId,
      position,
      access,
      projectId,
      recheck,
      heartbeatMs: ctx.config.eventStreamHeartbeatMs,
      log: request.log,
      // Called once the socket is closed, not when the answer ends: a reader that never reads still holds its slot.
      onClosed: () => hub.releaseSlot(credential),
    });
    stream.stopListening = hub.listen(stream);
    // A client that went away while the stream was being set up closed the socket before anyone listened.
    if (reply.raw.destroyed || !reply.raw.socket || reply.raw.socket.destroyed) stream.close();
  } catch (err) {
    // Nothing may keep the slot or leave the hijacked request unanswered: the stream never started.
    if (stream) stream.close();
    else hub.releaseSlot(credential);
    request.log.error({ err }, 'event stream: could not start');
    failHijackedAnswer(request, reply);
  }
}
