import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { useCreateWorkspace } from './api';

/** A name, and the new workspace opens; you are its Owner. */
export function CreateWorkspaceForm({ onCreated }: { onCreated?: () => void }) {
  const navigate = useNavigate();
  const create = useCreateWorkspace();
  const form = useForm<{ name: string }>({ defaultValues: { name: '' } });
  const error = form.formState.errors.name?.message;
  return (
    <form
      className="grid gap-4"
      noValidate
      onSubmit={form.handleSubmit(async ({ name }) => {
        const workspace = await create.mutateAsync(name);
        onCreated?.();
        await navigate({ to: '/workspace/$workspaceId', params: { workspaceId: workspace.id } });
      })}
    >
      <Field id="workspace-name" label="Workspace name" error={error}>
        <Input
          id="workspace-name"
          aria-invalid={!!error}
          {...form.register('name', {
            required: 'Give the workspace a name',
            maxLength: { value: 100, message: 'At most 100 characters' },
            validate: (v) => v.trim() !== '' || 'Give the workspace a name',
          })}
        />
      </Field>
      <ErrorMessage error={create.error} />
      <DialogFooter>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create workspace'}
        </Button>
      </DialogFooter>
    </form>
  );
}

function CreateWorkspaceDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Create workspace"
        description="A workspace holds projects, tasks, members and their tokens. You become its Owner."
      >
        <CreateWorkspaceForm onCreated={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

export function useCreateWorkspaceDialog() {
  const [open, setOpen] = useState(false);
  return { open, setOpen, dialog: <CreateWorkspaceDialog open={open} onOpenChange={setOpen} /> };
}
