import type { Agent, Label as TaskLabel, Member, TaskStatus } from '@taskgate/client';
import { useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { Input, Select } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { Markdown } from '../../lib/markdown';
import { PRIORITIES } from './search';
import type { TaskValues } from './task-values';
import { cn, FOCUS_RING } from '../../lib/cn';

const textarea = cn('min-h-28 w-full rounded-md border bg-background px-3 py-2 text-sm', FOCUS_RING);

function CheckboxGroup({ legend, children }: { legend: string; children: React.ReactNode }) {
  return (
    <fieldset className="grid gap-1.5">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <div className="flex max-h-40 flex-wrap gap-x-4 gap-y-1 overflow-y-auto">{children}</div>
    </fieldset>
  );
}

/** The fields of a task, for creating and editing alike. */
export function TaskFormFields({
  form,
  statuses,
  members,
  agents,
  labels,
  disabled,
}: {
  form: UseFormReturn<TaskValues>;
  statuses: TaskStatus[];
  members: Member[];
  agents: Agent[];
  labels: TaskLabel[];
  disabled?: boolean;
}) {
  const [preview, setPreview] = useState(false);
  const titleError = form.formState.errors.title?.message;
  const description = form.watch('description');
  return (
    <fieldset className="grid gap-4" disabled={disabled}>
      <Field id="task-title" label="Title" error={titleError}>
        <Input
          id="task-title"
          aria-invalid={!!titleError}
          {...form.register('title', {
            validate: (v) => v.trim() !== '' || 'Give the task a title',
            maxLength: { value: 500, message: 'At most 500 characters' },
          })}
        />
      </Field>
      <div className="grid gap-1.5">
        <div className="flex items-center justify-between">
          <label htmlFor="task-description" className="text-sm font-medium">
            Description
          </label>
          <button type="button" className="text-xs underline" aria-pressed={preview} onClick={() => setPreview(!preview)}>
            {preview ? 'Edit' : 'Preview'}
          </button>
        </div>
        {preview ? (
          <div className="min-h-28 rounded-md border p-3">
            {description ? <Markdown source={description} /> : <p className="text-sm text-muted-foreground">Nothing to preview.</p>}
          </div>
        ) : (
          <textarea
            id="task-description"
            className={textarea}
            aria-describedby="task-description-hint"
            {...form.register('description', { maxLength: { value: 20000, message: 'At most 20,000 characters' } })}
          />
        )}
        <p id="task-description-hint" className="text-xs text-muted-foreground">
          Markdown: **bold**, *italic*, `code`, lists, [links](https://…).
        </p>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="task-status" label="Status">
          <Select id="task-status" {...form.register('status')}>
            {statuses.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="task-priority" label="Priority">
          <Select id="task-priority" {...form.register('priority')}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p[0]!.toUpperCase() + p.slice(1)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="task-due" label="Due date">
          <Input id="task-due" type="date" {...form.register('due')} />
        </Field>
      </div>
      <CheckboxGroup legend="Assignees">
        {members.length + agents.length === 0 && <span className="text-xs text-muted-foreground">No one to assign.</span>}
        {members.map((m) => (
          <label key={m.userId} className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" value={`user:${m.userId}`} {...form.register('assignees')} /> {m.name}
          </label>
        ))}
        {agents.map((a) => (
          <label key={a.id} className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" value={`agent:${a.id}`} {...form.register('assignees')} /> {a.name}{' '}
            <span className="text-xs text-muted-foreground">(agent)</span>
          </label>
        ))}
      </CheckboxGroup>
      <CheckboxGroup legend="Labels">
        {labels.length === 0 && <span className="text-xs text-muted-foreground">The workspace has no labels yet.</span>}
        {labels.map((l) => (
          <label key={l.id} className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" value={l.id} {...form.register('labels')} />
            <span aria-hidden="true" className="inline-block h-2.5 w-2.5 rounded-full" style={{ backgroundColor: l.color }} /> {l.name}
          </label>
        ))}
      </CheckboxGroup>
    </fieldset>
  );
}
