import { TaskgateError, type Task } from '@taskgate/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { Field } from '../../components/ui/label';
import { taskgate } from '../../lib/api';
import { formatDateTime, relativeTime } from '../../lib/format';
import { Markdown } from '../../lib/markdown';
import { storeTask, taskQuery, useTaskMutation } from './api';
import { ActorName } from './task-card';
import { TaskFormFields } from './task-form-fields';
import { relationChanges, taskChanges, valuesOf, type TaskValues } from './task-values';
import type { WorkspaceData } from './workspace-data';
import { cn, FOCUS_RING } from '../../lib/cn';

const textarea = cn('min-h-24 w-full rounded-md border bg-background px-3 py-2 text-sm', FOCUS_RING);

/** Saves the form's changes on top of `base`: the fields guarded by its version, then assignees and labels. */
async function saveTask(base: Task, values: TaskValues): Promise<Task> {
  const baseValues = valuesOf(base);
  const changes = taskChanges(baseValues, values);
  let task = changes ? await taskgate.tasks.update(base.id, changes, { ifMatch: base.version }) : base;
  const { assign, unassign, addLabels, removeLabels } = relationChanges(baseValues, values);
  for (const a of assign) await taskgate.tasks.assign(base.id, a);
  for (const id of unassign) await taskgate.tasks.unassign(base.id, id);
  for (const id of addLabels) await taskgate.tasks.addLabel(base.id, id);
  for (const id of removeLabels) await taskgate.tasks.removeLabel(base.id, id);
  if (assign.length + unassign.length + addLabels.length + removeLabels.length > 0) task = await taskgate.tasks.get(base.id);
  return task;
}

const isStale = (error: unknown) => error instanceof TaskgateError && error.status === 412;

function CompleteDialog({ task, data, onClose }: { task: Task; data: WorkspaceData; onClose: () => void }) {
  const [note, setNote] = useState('');
  const complete = useTaskMutation(data.workspaceId, (resultNote: string) =>
    taskgate.tasks.complete(task.id, resultNote ? { resultNote } : {}),
  );
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={`Complete “${task.title}”`} description="Say what was done: the note stays with the task.">
        <Field id="result-note" label="Result note">
          <textarea id="result-note" className={textarea} value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <ErrorMessage error={complete.error} />
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={complete.isPending} onClick={() => complete.mutate([note.trim()], { onSuccess: onClose })}>
            {complete.isPending ? 'Completing…' : 'Complete task'}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/**
 * One task: its details, the form to edit it, and claim / complete / reopen / delete. An edit is
 * guarded by the version the form was loaded from: when someone else changed the task meanwhile,
 * the server refuses (412) and the dialog shows their version beside yours.
 */
export function TaskDialog({ taskId, data, onClose }: { taskId: string; data: WorkspaceData; onClose: () => void }) {
  const queryClient = useQueryClient();
  const task = useQuery(taskQuery(taskId));
  const [base, setBase] = useState<Task | null>(null);
  const [conflict, setConflict] = useState<Task | null>(null);
  const [completing, setCompleting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const form = useForm<TaskValues>();
  const current = task.data;

  // A newer version arriving (an agent's claim, a teammate's edit) refreshes a form you have not touched.
  useEffect(() => {
    if (!current) return;
    if (!base || (!form.formState.isDirty && current.version > base.version)) {
      setBase(current);
      form.reset(valuesOf(current));
    }
  }, [current, base, form]);

  const save = useTaskMutation(data.workspaceId, (b: Task, values: TaskValues) => saveTask(b, values));
  const claim = useTaskMutation(data.workspaceId, () => taskgate.tasks.claim(taskId));
  const reopen = useTaskMutation(data.workspaceId, (t: Task) =>
    taskgate.tasks.update(t.id, { status: data.statuses[0]?.key ?? 'todo' }, { ifMatch: t.version }),
  );
  const remove = useTaskMutation(data.workspaceId, () => taskgate.tasks.delete(taskId));
  const actionError = claim.error ?? reopen.error;

  const onSubmit = form.handleSubmit(async (values) => {
    if (!base) return;
    try {
      const saved = await save.mutateAsync([base, values]);
      setConflict(null);
      setBase(saved);
      form.reset(valuesOf(saved));
    } catch (error) {
      if (!isStale(error)) return;
      const fresh = await taskgate.tasks.get(taskId);
      storeTask(queryClient, fresh);
      setConflict(fresh);
    }
  });

  const loadTheirs = () => {
    if (!conflict) return;
    setBase(conflict);
    form.reset(valuesOf(conflict));
    setConflict(null);
    save.reset();
  };
  const keepMine = () => {
    if (!conflict) return;
    // Your values stay in the form; saving again writes them over the current version.
    setBase(conflict);
    setConflict(null);
    save.reset();
  };

  const statusName = (key: string) => data.statuses.find((s) => s.key === key)?.name ?? key;
  const done = current?.status === 'done';
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title={current?.title ?? 'Task'}
        className="max-w-2xl"
        description={current ? `${statusName(current.status)} · version ${current.version}` : undefined}
      >
        <ErrorMessage error={task.error} />
        {current && (
          <>
            <div className="grid gap-1 text-xs text-muted-foreground" data-testid="task-meta">
              <p>
                Created by <ActorName actor={current.createdBy} data={data} /> {relativeTime(current.createdAt)}; last changed by{' '}
                <ActorName actor={current.updatedBy} data={data} /> {relativeTime(current.updatedAt)}.
              </p>
              {current.claimedBy && (
                <p>
                  Claimed by <ActorName actor={current.claimedBy} data={data} />
                  {current.claimedAt && ` ${relativeTime(current.claimedAt)}`}.
                </p>
              )}
              {current.completedAt && <p>Completed {formatDateTime(current.completedAt)}.</p>}
            </div>
            {current.resultNote && (
              <section aria-label="Result note" className="rounded-md border bg-muted/40 p-3">
                <h3 className="mb-1 text-xs font-semibold text-muted-foreground">Result</h3>
                <Markdown source={current.resultNote} />
              </section>
            )}
            {data.can.edit && (
              <div className="flex flex-wrap gap-2">
                {!done && !current.claimedBy && (
                  <Button size="sm" variant="outline" disabled={claim.isPending} onClick={() => claim.mutate([])}>
                    Claim
                  </Button>
                )}
                {!done && (
                  <Button size="sm" variant="outline" onClick={() => setCompleting(true)}>
                    Complete…
                  </Button>
                )}
                {done && (
                  <Button size="sm" variant="outline" disabled={reopen.isPending} onClick={() => reopen.mutate([current])}>
                    Reopen
                  </Button>
                )}
                {data.can.remove && (
                  <Button size="sm" variant="outline" className="text-destructive-text" onClick={() => setDeleting(true)}>
                    Delete…
                  </Button>
                )}
              </div>
            )}
            <ErrorMessage error={actionError} />
            {!form.formState.isDirty && current.description && (
              <section aria-label="Description" className="rounded-md border p-3">
                <Markdown source={current.description} />
              </section>
            )}
            {conflict && (
              <div role="alert" className="grid gap-2 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm">
                <p className="font-medium text-warning">
                  This task changed while you were editing it: <ActorName actor={conflict.updatedBy} data={data} /> saved version{' '}
                  {conflict.version} {relativeTime(conflict.updatedAt)}. Your changes were not saved.
                </p>
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs" aria-label="The current version">
                  <dt className="font-medium">Title</dt>
                  <dd data-testid="fresh-title">{conflict.title}</dd>
                  <dt className="font-medium">Status</dt>
                  <dd>{statusName(conflict.status)}</dd>
                  <dt className="font-medium">Priority</dt>
                  <dd>{conflict.priority}</dd>
                </dl>
                <div className="flex flex-wrap gap-2">
                  <Button size="sm" onClick={loadTheirs}>
                    Load the current version
                  </Button>
                  <Button size="sm" variant="outline" onClick={keepMine}>
                    Keep my changes
                  </Button>
                </div>
              </div>
            )}
            {data.can.edit ? (
              <form className="grid gap-4" noValidate onSubmit={onSubmit}>
                <TaskFormFields form={form} statuses={data.statuses} members={data.members} agents={data.agents} labels={data.labels} />
                {!isStale(save.error) && <ErrorMessage error={save.error} />}
                <DialogFooter>
                  <Button variant="outline" onClick={onClose}>
                    Close
                  </Button>
                  <Button type="submit" disabled={save.isPending || conflict !== null || !form.formState.isDirty}>
                    {save.isPending ? 'Saving…' : 'Save changes'}
                  </Button>
                </DialogFooter>
              </form>
            ) : (
              <p className="text-sm text-muted-foreground">Your role lets you read tasks; Team Members and above edit them.</p>
            )}
          </>
        )}
        {completing && current && <CompleteDialog task={current} data={data} onClose={() => setCompleting(false)} />}
        <ConfirmDialog
          open={deleting}
          onOpenChange={setDeleting}
          title={`Delete “${current?.title ?? ''}”?`}
          description="The task and its history go. This cannot be undone."
          confirmLabel="Delete task"
          pending={remove.isPending}
          onConfirm={() =>
            remove.mutate([], {
              onSuccess: () => {
                setDeleting(false);
                onClose();
              },
            })
          }
        >
          <ErrorMessage error={remove.error} />
        </ConfirmDialog>
      </DialogContent>
    </Dialog>
  );
}
