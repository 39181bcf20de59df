import type { Event } from '@taskgate/client';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Select } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { taskgate } from '../../lib/api';
import { EVENT_FAMILIES } from '../../lib/event-types';
import { formatDateTime, relativeTime } from '../../lib/format';
import { useLiveEvents } from '../../lib/live-events';
import { usePeople } from '../../lib/people';
import { ActorName } from '../tasks/task-card';
import { ACTOR_KINDS, activitySearch, actorMatches } from './search';

const activityQuery = (workspaceId: string, type: string | undefined) => ({
  queryKey: ['activity', workspaceId, type ?? null],
  queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
    taskgate.events.list(workspaceId, { limit: 50, ...(type ? { type } : {}) }).page(pageParam),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined,
});

/** What the event was about, by name when its data has one. */
function subject(event: Event): string {
  const data = event.data as Record<string, unknown>;
  const name = data.title ?? data.name ?? data.label ?? data.email ?? data.url;
  return typeof name === 'string' ? name : event.resourceId;
}

/** `/workspace/:id/activity`: everything that happened in the workspace, newest first, as it happens. */
export function ActivityPage() {
  const { workspaceId } = useParams({ from: '/signed-in/workspace/$workspaceId/activity' });
  const search = useSearch({ from: '/signed-in/workspace/$workspaceId/activity' });
  const navigate = useNavigate({ from: '/workspace/$workspaceId/activity' });
  const people = usePeople(workspaceId);
  const history = useInfiniteQuery(activityQuery(workspaceId, search.type));
  // Events recorded since the page opened, newest first.
  const [live, setLive] = useState<Event[]>([]);
  useLiveEvents(workspaceId, (event) => setLive((events) => [event, ...events]));

  const fetched = history.data?.pages.flatMap((p) => p.items) ?? [];
  const known = new Set(fetched.map((e) => e.id));
  const events = [...live.filter((e) => !known.has(e.id) && (!search.type || e.type === search.type)), ...fetched].filter((e) =>
    actorMatches(e.actor, search.actor),
  );
  const set = (key: 'type' | 'actor', value: string) =>
    navigate({ search: (prev) => activitySearch({ ...prev, [key]: value || undefined }) });

  return (
    <>
      <PageHeader
        title="Activity"
        description={
          'What happened in this workspace, who did it (a person, an access token or an agent), and when. ' +
          'New events appear as they happen.'
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter activity">
        <div className="grid gap-1.5">
          <Label htmlFor="activity-type">Event type</Label>
          <Select id="activity-type" className="w-56" value={search.type ?? ''} onChange={(e) => set('type', e.target.value)}>
            <option value="">Every type</option>
            {EVENT_FAMILIES.map(({ family, types }) => (
              <optgroup key={family} label={family}>
                {types.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="activity-actor">Actor</Label>
          <Select id="activity-actor" className="w-56" value={search.actor ?? ''} onChange={(e) => set('actor', e.target.value)}>
            <option value="">Anyone</option>
            {ACTOR_KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                Any {k.label.toLowerCase()}
              </option>
            ))}
            {people.members.length > 0 && (
              <optgroup label="People">
                {people.members.map((m) => (
                  <option key={m.userId} value={`user:${m.userId}`}>
                    {m.name}
                  </option>
                ))}
              </optgroup>
            )}
            {people.agents.length > 0 && (
              <optgroup label="Agents">
                {people.agents.map((a) => (
                  <option key={a.id} value={`agent:${a.id}`}>
                    {a.name}
                  </option>
                ))}
              </optgroup>
            )}
          </Select>
        </div>
      </div>
      <ErrorMessage error={history.error} />
      {history.isPending ? (
        <p className="text-sm text-muted-foreground">Loading activity…</p>
      ) : events.length === 0 ? (
        <div className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">Nothing matches.</div>
      ) : (
        <ol className="grid divide-y rounded-md border" aria-label="Events">
          {events.map((event) => (
            <li
              key={event.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm"
              data-event-type={event.type}
              data-actor-type={event.actor.type}
            >
              <Badge variant="secondary" className="font-mono">
                {event.type}
              </Badge>
              <span className="min-w-0 break-words">
                {event.resourceType === 'task' && event.projectId && event.type !== 'task.deleted' ? (
                  <Link
                    to="/workspace/$workspaceId/projects/$projectId"
                    params={{ workspaceId, projectId: event.projectId }}
                    search={{ task: event.resourceId }}
                    className="underline"
                  >
                    {subject(event)}
                  </Link>
                ) : (
                  subject(event)
                )}
              </span>
              <span className="text-xs text-muted-foreground">
                by <ActorName actor={event.actor} data={people} />
              </span>
              <time className="ml-auto text-xs text-muted-foreground" dateTime={event.createdAt} title={formatDateTime(event.createdAt)}>
                {relativeTime(event.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {history.hasNextPage && (
        <div className="mt-3 text-center">
          <Button variant="outline" disabled={history.isFetchingNextPage} onClick={() => history.fetchNextPage()}>
            {history.isFetchingNextPage ? 'Loading…' : 'Show older events'}
          </Button>
        </div>
      )}
    </>
  );
}
