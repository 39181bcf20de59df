import type { Task } from '@taskgate/client';
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { Button } from '../../components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from '../../components/ui/dropdown-menu';
import { cn, FOCUS_RING } from '../../lib/cn';
import { TaskSummary } from './task-card';
import type { WorkspaceData } from './workspace-data';

const DRAG_TYPE = 'application/x-taskgate-task';

interface BoardProps {
  tasks: Task[];
  data: WorkspaceData;
  onOpen: (task: Task) => void;
  /** Settles once the server has answered the move. */
  onMove: (task: Task, status: string) => Promise<unknown>;
}

/**
 * The tasks by status. A card moves by dragging it to another column, by Alt+← / Alt+→ while it has
 * the focus, or through its "Move to…" menu.
 */
export function TaskBoard({ tasks, data, onOpen, onMove }: BoardProps) {
  const [over, setOver] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // A card moved by keyboard lands in another column: the focus follows it there.
  const [following, setFollowing] = useState<{ id: string; status: string } | null>(null);
  useEffect(() => {
    if (!following || tasks.find((t) => t.id === following.id)?.status !== following.status) return;
    document.querySelector<HTMLElement>(`[data-task-id="${following.id}"] button`)?.focus();
    // Landed: the focus is the user's again.
    setFollowing(null);
  }, [tasks, following]);
  const statuses = data.statuses;
  // Where each card was last sent and the server has not answered yet: a second key press before the
  // first move shows on screen goes on from there.
  const intended = useRef(new Map<string, string>());
  const move = (task: Task, status: string) => {
    if ((intended.current.get(task.id) ?? task.status) === status) return;
    intended.current.set(task.id, status);
    void onMove(task, status)
      .catch(() => undefined)
      .finally(() => {
        if (intended.current.get(task.id) === status) intended.current.delete(task.id);
      });
    setAnnouncement(`Moved “${task.title}” to ${statuses.find((s) => s.key === status)?.name ?? status}.`);
  };
  const onKeyDown = (task: Task) => (event: KeyboardEvent) => {
    if (!event.altKey || (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft')) return;
    event.preventDefault();
    const from = intended.current.get(task.id) ?? task.status;
    const index = statuses.findIndex((s) => s.key === from) + (event.key === 'ArrowRight' ? 1 : -1);
    const target = statuses[index];
    if (!target) return;
    setFollowing({ id: task.id, status: target.key });
    move(task, target.key);
  };
  const onDrop = (status: string) => (event: DragEvent) => {
    event.preventDefault();
    setOver(null);
    const task = tasks.find((t) => t.id === event.dataTransfer.getData(DRAG_TYPE));
    if (task) move(task, status);
  };
  return (
    <>
      <p id="board-help" className="sr-only">
        Drag a card to another column, or focus it and press Alt with the left or right arrow, or use its Move menu.
      </p>
      <div role="status" aria-live="polite" className="sr-only">
        {announcement}
      </div>
      <div className="flex gap-3 overflow-x-auto pb-2" data-testid="board">
        {statuses.map((status) => {
          const column = tasks.filter((t) => t.status === status.key);
          return (
            <section
              key={status.key}
              aria-labelledby={`column-${status.key}`}
              data-status={status.key}
              className={cn('flex w-64 shrink-0 flex-col rounded-lg border bg-muted/40 p-2', over === status.key && 'ring-2 ring-ring')}
              onDragOver={(e) => {
                if (!data.can.edit) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                setOver(status.key);
              }}
              onDragLeave={() => setOver((o) => (o === status.key ? null : o))}
              onDrop={onDrop(status.key)}
            >
              <h2 id={`column-${status.key}`} className="mb-2 flex items-center justify-between px-1 text-sm font-semibold">
                {status.name} <span className="text-xs font-normal text-muted-foreground">{column.length}</span>
              </h2>
              <ul className="grid min-h-16 content-start gap-2">
                {column.map((task) => (
                  <li
                    key={task.id}
                    data-task-id={task.id}
                    draggable={data.can.edit}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(DRAG_TYPE, task.id);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    className="rounded-md border bg-background p-2 shadow-xs"
                  >
                    <div className="flex items-start gap-1">
                      <button
                        type="button"
                        className={cn('min-w-0 flex-1 break-words text-left text-sm font-medium hover:underline', FOCUS_RING)}
                        aria-describedby={data.can.edit ? 'board-help' : undefined}
                        onClick={() => onOpen(task)}
                        onKeyDown={data.can.edit ? onKeyDown(task) : undefined}
                      >
                        {task.title}
                      </button>
                      {data.can.edit && (
                        <DropdownMenu>
                          <DropdownMenuTrigger asChild>
                            <Button variant="ghost" size="icon" className="h-6 w-6 shrink-0" aria-label={`Move “${task.title}”`}>
                              ⇄
                            </Button>
                          </DropdownMenuTrigger>
                          <DropdownMenuContent>
                            <DropdownMenuLabel>Move to…</DropdownMenuLabel>
                            {statuses
                              .filter((s) => s.key !== task.status)
                              .map((s) => (
                                <DropdownMenuItem key={s.key} onSelect={() => move(task, s.key)}>
                                  {s.name}
                                </DropdownMenuItem>
                              ))}
                          </DropdownMenuContent>
                        </DropdownMenu>
                      )}
                    </div>
                    <TaskSummary task={task} data={data} />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </>
  );
}
