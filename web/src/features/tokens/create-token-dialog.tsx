import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { SecretDialog } from '../../components/secret-dialog';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from '../../components/ui/dialog';
import { placeFieldErrors } from '../../lib/field-errors';
import { useCreateToken } from './api';
import { TokenFields, tokenRequest, useTokenForm } from './token-form';

export function CreateTokenDialog() {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useCreateToken();
  const form = useTokenForm({});
  return (
    <>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) {
            form.reset();
            create.reset();
          }
        }}
      >
        <DialogTrigger asChild>
          <Button>Create token</Button>
        </DialogTrigger>
        <DialogContent
          title="Create a personal access token"
          description="It acts for you, never beyond what your role allows in each workspace."
          className="max-w-2xl"
        >
          <form
            className="grid gap-4"
            noValidate
            onSubmit={form.handleSubmit(async (values) => {
              const { expiresAt, ...rest } = tokenRequest(values);
              try {
                const issued = await create.mutateAsync([{ ...rest, ...(expiresAt ? { expiresAt } : {}) }]);
                setOpen(false);
                form.reset();
                setSecret(issued.token);
              } catch (error) {
                placeFieldErrors(error, { allowedIps: 'allowedIps' }, form.setError);
              }
            })}
          >
            <TokenFields form={form} editing={false} />
            <ErrorMessage error={create.error} />
            <DialogFooter>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? 'Creating…' : 'Create token'}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      <SecretDialog secret={secret} title="Your new token" onClose={() => setSecret(null)} />
    </>
  );
}
