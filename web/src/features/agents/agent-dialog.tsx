import type { ListedAgent } from '@taskgate/client';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { allowlistOf, allowlistText, validateAllowlist } from '../../lib/cidr';
import { placeFieldErrors } from '../../lib/field-errors';
import { AllowedIpsField } from '../tokens/allowed-ips-field';

export interface AgentRequest {
  name: string;
  description: string;
  allowedIps: string[] | null;
}

/** Register an agent (no `agent`) or edit one: its name, what it does, and where its token may be used from. */
export function AgentDialog({
  agent,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  agent: ListedAgent | null;
  pending: boolean;
  error: unknown;
  /** Rejects with the server's refusal, whose field errors the form then shows. */
  onSubmit: (request: AgentRequest) => Promise<void>;
  onClose: () => void;
}) {
  const form = useForm({
    defaultValues: { name: agent?.name ?? '', description: agent?.description ?? '', allowedIps: allowlistText(agent?.allowedIps ?? null) },
  });
  const { errors } = form.formState;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title={agent ? `Edit “${agent.name}”` : 'Register an agent'}
        description="An automated worker that claims and completes tasks with its own token."
      >
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit((v) =>
            onSubmit({ name: v.name.trim(), description: v.description.trim(), allowedIps: allowlistOf(v.allowedIps) }).catch(
              (refusal: unknown) => placeFieldErrors(refusal, { allowedIps: 'allowedIps' }, form.setError),
            ),
          )}
        >
          <Field id="agent-name" label="Name" error={errors.name?.message}>
            <Input
              id="agent-name"
              aria-invalid={!!errors.name}
              {...form.register('name', { validate: (v) => v.trim() !== '' || 'Give the agent a name' })}
            />
          </Field>
          <Field id="agent-description" label="Description" hint="Optional: what it does">
            <Input id="agent-description" {...form.register('description')} />
          </Field>
          <AllowedIpsField
            id="agent-allowed-ips"
            registration={form.register('allowedIps', { validate: validateAllowlist })}
            error={errors.allowedIps?.message}
          />
          <ErrorMessage error={error} />
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {agent ? (pending ? 'Saving…' : 'Save changes') : pending ? 'Registering…' : 'Register agent'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
