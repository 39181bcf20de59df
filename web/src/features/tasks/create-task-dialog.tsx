import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { taskgate } from '../../lib/api';
import { useTaskMutation } from './api';
import { TaskFormFields } from './task-form-fields';
import { emptyValues, newTaskBody, relationChanges, type TaskValues } from './task-values';
import type { WorkspaceData } from './workspace-data';

/** Creates the task, then assigns it and labels it. */
async function createTask(projectId: string, values: TaskValues) {
  const task = await taskgate.tasks.create(newTaskBody(projectId, values));
  const { assign, addLabels } = relationChanges({ assignees: [], labels: [] }, values);
  for (const assignee of assign) await taskgate.tasks.assign(task.id, assignee);
  for (const label of addLabels) await taskgate.tasks.addLabel(task.id, label);
  return assign.length + addLabels.length > 0 ? taskgate.tasks.get(task.id) : task;
}

export function CreateTaskDialog({
  data,
  projectId,
  status,
  onClose,
}: {
  data: WorkspaceData;
  projectId: string;
  status?: string;
  onClose: () => void;
}) {
  const form = useForm<TaskValues>({ defaultValues: emptyValues(data.statuses, status) });
  const create = useTaskMutation(data.workspaceId, (values: TaskValues) => createTask(projectId, values));
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title="New task" className="max-w-2xl">
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit(async (values) => {
            try {
              await create.mutateAsync([values]);
              onClose();
            } catch {
              // Shown below.
            }
          })}
        >
          <TaskFormFields form={form} statuses={data.statuses} members={data.members} agents={data.agents} labels={data.labels} />
          <ErrorMessage error={create.error} />
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create task'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
