import type { Actor, Task } from '@taskgate/client';
import { Badge } from '../../components/ui/badge';
import { formatDate, relativeTime } from '../../lib/format';
import { ACTOR_KIND_LABELS } from '../../lib/people';
import type { WorkspaceData } from './workspace-data';

/** Who made a change, by name, saying when it was an agent or a token rather than a person. */
export function ActorName({ actor, data }: { actor: Actor; data: Pick<WorkspaceData, 'actorName' | 'knownName'> }) {
  const name = data.knownName(actor);
  return (
    <span data-actor-type={actor.type}>
      <span className="font-medium text-foreground">{name ?? data.actorName(actor)}</span>
      {name !== null && actor.type !== 'user' && ` (${ACTOR_KIND_LABELS[actor.type]})`}
    </span>
  );
}

const PRIORITY_VARIANT = { none: null, low: 'secondary', medium: 'outline', high: 'warning', urgent: 'destructive' } as const;

export function PriorityBadge({ priority }: { priority: Task['priority'] }) {
  const variant = PRIORITY_VARIANT[priority];
  return variant ? <Badge variant={variant}>{priority}</Badge> : null;
}

export function LabelChips({ task }: { task: Task }) {
  return (
    <>
      {task.labels.map((l) => (
        <span key={l.id} className="inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs">
          <span aria-hidden="true" className="inline-block h-2 w-2 rounded-full" style={{ backgroundColor: l.color }} />
          {l.name}
        </span>
      ))}
    </>
  );
}

/** What a card says about a task besides its title. */
export function TaskSummary({ task, data }: { task: Task; data: WorkspaceData }) {
  return (
    <div className="mt-1.5 grid gap-1 text-xs text-muted-foreground">
      <div className="flex flex-wrap items-center gap-1">
        <PriorityBadge priority={task.priority} />
        <LabelChips task={task} />
        {task.dueAt && <span>Due {formatDate(task.dueAt)}</span>}
      </div>
      {task.assignees.length > 0 && <div>Assigned to {task.assignees.map((a) => a.name).join(', ')}</div>}
      {task.claimedBy && (
        <div data-testid="claimed-by">
          Claimed by <ActorName actor={task.claimedBy} data={data} />
        </div>
      )}
      <div data-testid="last-change">
        Changed by <ActorName actor={task.updatedBy} data={data} /> {relativeTime(task.updatedAt)}
      </div>
    </div>
  );
}
