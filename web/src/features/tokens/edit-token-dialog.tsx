import type { Token } from '@taskgate/client';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { allowlistText } from '../../lib/cidr';
import { placeFieldErrors } from '../../lib/field-errors';
import { useUpdateToken } from './api';
import { TokenFields, tokenRequest, useTokenForm } from './token-form';

/** Rename, narrow or widen (within your role), change the expiry, the rate limit or the IP allowlist. */
export function EditTokenDialog({ token, onClose }: { token: Token; onClose: () => void }) {
  const update = useUpdateToken();
  const form = useTokenForm({
    name: token.name,
    permissionMode: token.permissions === null ? 'all' : 'some',
    permissions: token.permissions ?? [],
    projectMode: token.projectIds === null ? 'all' : 'some',
    projectIds: token.projectIds ?? [],
    expiry: 'keep',
    rateLimit: token.rateLimitPerMinute === null ? '' : String(token.rateLimitPerMinute),
    allowedIps: allowlistText(token.allowedIps),
  });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={`Edit “${token.name}”`} className="max-w-2xl">
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit(async (values) => {
            try {
              await update.mutateAsync([token.id, tokenRequest(values)]);
              onClose();
            } catch (error) {
              placeFieldErrors(error, { allowedIps: 'allowedIps' }, form.setError);
            }
          })}
        >
          <TokenFields form={form} editing />
          <ErrorMessage error={update.error} />
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={update.isPending}>
              {update.isPending ? 'Saving…' : 'Save changes'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
