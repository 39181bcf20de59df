import type { TaskStatus } from '@taskgate/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { taskgate } from '../../lib/api';
import { statusesQuery } from '../tasks/api';

/** Statuses the server requires to stay (claiming and completing move tasks to them). */
const REQUIRED = new Set(['in_progress', 'done']);
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** A key for a new status, from its name: "In review" → in_review. */
const keyOf = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);

interface Row extends TaskStatus {
  /** Added here, not saved yet: its key follows its name. */
  fresh?: boolean;
}

/** The workspace's task statuses, in board order: renamed, reordered, added and removed, then saved at once. */
export function StatusEditor({ workspaceId, canEdit }: { workspaceId: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const saved = useQuery(statusesQuery(workspaceId));
  const [rows, setRows] = useState<Row[]>([]);
  useEffect(() => {
    if (saved.data) setRows(saved.data.map((s) => ({ ...s })));
  }, [saved.data]);
  const save = useMutation({
    mutationFn: (statuses: TaskStatus[]) => taskgate.taskStatuses.replace(workspaceId, { statuses }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['task-statuses', workspaceId] }),
  });
  const update = (i: number, change: Partial<Row>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const move = (i: number, by: number) =>
    setRows((all) => {
      const next = [...all];
      const [row] = next.splice(i, 1);
      next.splice(i + by, 0, row!);
      return next;
    });
  const keys = rows.map((r) => r.key);
  const problem = rows.some((r) => r.name.trim() === '')
    ? 'Every status needs a name.'
    : rows.some((r) => !KEY.test(r.key))
      ? 'A name must start with a letter.'
      : new Set(keys).size !== keys.length
        ? 'Two statuses have the same key: rename one.'
        : rows.length < 2
          ? 'Keep at least two statuses.'
          : null;

  return (
    <div className="grid gap-3">
      <ol className="grid gap-2" aria-label="Task statuses">
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a key is empty or repeated while a name is typed; inputs are controlled.
          <li key={i} className="flex flex-wrap items-center gap-2" data-status-key={row.key}>
            <Input
              aria-label={`Name of status ${i + 1}`}
              className="w-56"
              value={row.name}
              disabled={!canEdit}
              maxLength={60}
              onChange={(e) => update(i, row.fresh ? { name: e.target.value, key: keyOf(e.target.value) } : { name: e.target.value })}
            />
            <span className="font-mono text-xs text-muted-foreground">{row.key || '—'}</span>
            {canEdit && (
              <span className="ml-auto flex gap-1">
                <Button
                  size="icon"
                  variant="ghost"
                  aria-label={`Move ${row.name || 'status'} up`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </Button>
                <Button
                  size="icon"
                  variant="ghost"
                  aria-label={`Move ${row.name || 'status'} down`}
                  disabled={i === rows.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </Button>
                <Button
                  size="icon"
                  variant="ghost"
                  aria-label={`Remove ${row.name || 'status'}`}
                  disabled={REQUIRED.has(row.key)}
                  title={REQUIRED.has(row.key) ? 'Claiming and completing need this status' : undefined}
                  onClick={() => setRows((all) => all.filter((_, j) => j !== i))}
                >
                  ×
                </Button>
              </span>
            )}
          </li>
        ))}
      </ol>
      <p className="text-xs text-muted-foreground">
        New tasks start in the first status. In progress and Done stay: claiming and completing move tasks there. A status still used by a
        task cannot be removed.
      </p>
      {canEdit && (
        <div className="flex flex-wrap gap-2">
          <Button
            variant="outline"
            size="sm"
            disabled={rows.length >= 30}
            onClick={() => setRows((all) => [...all, { key: '', name: '', fresh: true }])}
          >
            Add status
          </Button>
          <Button
            size="sm"
            disabled={problem !== null || save.isPending}
            onClick={() => save.mutate(rows.map(({ key, name }) => ({ key, name: name.trim() })))}
          >
            {save.isPending ? 'Saving…' : 'Save statuses'}
          </Button>
          {save.isSuccess && (
            <span role="status" className="self-center text-sm text-success">
              Saved.
            </span>
          )}
        </div>
      )}
      {canEdit && problem && rows.length > 0 && <p className="text-xs text-destructive-text">{problem}</p>}
      <ErrorMessage error={saved.error ?? save.error} />
    </div>
  );
}
