import type { Event } from '@taskgate/client';
import { useEffect, useRef } from 'react';
import { taskgate } from './api';

type Stream = (workspaceId: string, options: { after?: string; signal?: AbortSignal }) => AsyncIterable<Event>;

/** The server's event stream (server-sent events) through the client, when this client has it. */
function eventStream(): Stream | null {
  const events = taskgate.events as unknown as { stream?: Stream };
  return typeof events.stream === 'function' ? events.stream.bind(taskgate.events) : null;
}

const POLL_MS = 2000;
const RETRY_MS = 3000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** The events recorded from now on, oldest first: streamed, or else polled from the event list. */
async function follow(workspaceId: string, signal: AbortSignal, emit: (event: Event) => void): Promise<void> {
  const seen = new Set<string>();
  let after: string | undefined;
  const stream = eventStream();
  while (!signal.aborted) {
    try {
      if (after === undefined) {
        // Only what happens while the page is open: the latest events so far count as seen.
        const latest = await taskgate.events.list(workspaceId, { limit: 50 }, { signal }).page();
        for (const event of latest.items) seen.add(event.id);
        after = latest.items[0]?.id ?? '';
      }
      if (stream) {
        for await (const event of stream(workspaceId, { ...(after ? { after } : {}), signal })) {
          after = event.id;
          if (!seen.has(event.id)) emit(event);
          seen.add(event.id);
        }
        // The server ended the stream (a restart, lost access): come back later rather than at once.
        await pause(RETRY_MS, signal);
      } else {
        const page = await taskgate.events.list(workspaceId, { limit: 50 }, { signal }).page();
        const fresh = page.items.filter((e) => !seen.has(e.id)).reverse();
        for (const event of fresh) {
          seen.add(event.id);
          emit(event);
        }
        await pause(POLL_MS, signal);
      }
    } catch {
      if (signal.aborted) return;
      await pause(RETRY_MS, signal);
    }
  }
}

/**
 * Calls `onEvent` with each event of the workspace recorded while the page is open (a task an agent
 * claims elsewhere, a member's new role…), so pages follow changes without a reload.
 */
export function useLiveEvents(workspaceId: string, onEvent: (event: Event) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const controller = new AbortController();
    void follow(workspaceId, controller.signal, (event) => handler.current(event));
    return () => controller.abort();
  }, [workspaceId]);
}
