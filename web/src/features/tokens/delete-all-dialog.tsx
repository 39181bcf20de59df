import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { useRevokeAllTokens } from './api';

const PHRASE = 'delete all tokens';

/** Revoking every token at once is confirmed by typing a phrase, not by one more click. */
export function DeleteAllTokensButton({ disabled }: { disabled: boolean }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const revokeAll = useRevokeAllTokens();
  return (
    <>
      <Button variant="outline" className="text-destructive-text" disabled={disabled} onClick={() => setOpen(true)}>
        Delete all tokens
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) {
            setTyped('');
            revokeAll.reset();
          }
        }}
        title="Delete all tokens?"
        description="Every personal access token you have stops working on its next request. Scripts using them will fail."
        confirmLabel="Delete all tokens"
        canConfirm={typed.trim().toLowerCase() === PHRASE}
        pending={revokeAll.isPending}
        onConfirm={async () => {
          await revokeAll.mutateAsync([]);
          setOpen(false);
          setTyped('');
        }}
      >
        <div className="grid gap-1.5">
          <Label htmlFor="confirm-phrase">
            Type <span className="font-mono">{PHRASE}</span> to confirm
          </Label>
          <Input id="confirm-phrase" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        <ErrorMessage error={revokeAll.error} />
      </ConfirmDialog>
    </>
  );
}
