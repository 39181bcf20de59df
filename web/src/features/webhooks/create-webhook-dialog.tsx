import type { NewWebhook, Project } from '@taskgate/client';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { EVENT_FAMILIES } from '../../lib/event-types';

interface Values {
  url: string;
  description: string;
  /** Event types, `family.*` or `*`. */
  events: string[];
  projectIds: string[];
}

/** The endpoint's URL, what it subscribes to (types, whole families, or everything) and, if any, its projects. */
export function CreateWebhookDialog({
  projects,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  projects: Project[];
  pending: boolean;
  error: unknown;
  onSubmit: (body: NewWebhook) => Promise<void>;
  onClose: () => void;
}) {
  const form = useForm<Values>({ defaultValues: { url: '', description: '', events: [], projectIds: [] } });
  const events = form.watch('events');
  const everything = events.includes('*');
  const urlError = form.formState.errors.url?.message;
  const eventsError = form.formState.errors.events?.message;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title="Add a webhook endpoint"
        description="Taskgate sends each chosen event to this URL, signed with a secret shown once."
        className="max-w-2xl"
      >
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit(async (v) => {
            try {
              await onSubmit({
                url: v.url.trim(),
                description: v.description.trim(),
                // "Everything" wins over any single type picked with it.
                events: v.events.includes('*') ? ['*'] : v.events,
                projectIds: v.projectIds.length > 0 ? v.projectIds : null,
              });
            } catch {
              // Shown below.
            }
          })}
        >
          <Field id="webhook-url" label="Endpoint URL" error={urlError} hint="An https URL that answers 2xx quickly">
            <Input
              id="webhook-url"
              type="url"
              placeholder="https://example.com/taskgate"
              aria-invalid={!!urlError}
              {...form.register('url', {
                validate: (v) => /^https?:\/\/\S+$/i.test(v.trim()) || 'An http(s) URL is needed',
              })}
            />
          </Field>
          <Field id="webhook-description" label="Description" hint="Optional: what it feeds">
            <Input
              id="webhook-description"
              {...form.register('description', { maxLength: { value: 500, message: 'At most 500 characters' } })}
            />
          </Field>
          <fieldset className="grid gap-2" aria-describedby={eventsError ? 'webhook-events-error' : undefined}>
            <legend className="mb-1 text-sm font-medium">Events</legend>
            <label className="flex items-center gap-2 text-sm font-medium">
              <input
                type="checkbox"
                value="*"
                {...form.register('events', { validate: (v) => v.length > 0 || 'Choose at least one event' })}
              />{' '}
              Every event, including types added later
            </label>
            <div className="grid max-h-64 gap-3 overflow-y-auto rounded-md border p-3 sm:grid-cols-2">
              {EVENT_FAMILIES.map(({ family, types }) => (
                <div key={family} className="grid gap-1">
                  <label className="flex items-center gap-2 text-sm font-medium">
                    <input type="checkbox" value={`${family}.*`} disabled={everything} {...form.register('events')} /> All{' '}
                    {family.replace('_', ' ')} events
                  </label>
                  {types.map((type) => (
                    <label key={type} className="ml-5 flex items-center gap-2 font-mono text-xs">
                      <input
                        type="checkbox"
                        value={type}
                        disabled={everything || events.includes(`${family}.*`)}
                        {...form.register('events')}
                      />{' '}
                      {type}
                    </label>
                  ))}
                </div>
              ))}
            </div>
            {eventsError && (
              <p id="webhook-events-error" role="alert" className="text-xs text-destructive-text">
                {eventsError}
              </p>
            )}
          </fieldset>
          {projects.length > 0 && (
            <fieldset className="grid gap-1">
              <legend className="mb-1 text-sm font-medium">Only these projects</legend>
              <p className="text-xs text-muted-foreground">
                None chosen: every event of the workspace. With projects chosen, events outside any project are not sent.
              </p>
              <div className="flex flex-wrap gap-x-4 gap-y-1">
                {projects.map((p) => (
                  <label key={p.id} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" value={p.id} {...form.register('projectIds')} /> {p.name}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <ErrorMessage error={error} />
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? 'Adding…' : 'Add endpoint'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
