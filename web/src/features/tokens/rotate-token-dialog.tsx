import type { Token } from '@taskgate/client';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { SecretDialog } from '../../components/secret-dialog';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { Select } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { formatDateTime } from '../../lib/format';
import { useRotateToken } from './api';

const GRACE_CHOICES = [
  { seconds: 0, label: 'Stop the old secret now' },
  { seconds: 3600, label: 'Keep the old secret working for 1 hour' },
  { seconds: 86_400, label: 'Keep the old secret working for 24 hours' },
] as const;

/** A new secret for the same token; the old one stops now or after a grace period. */
export function RotateTokenDialog({ token, onClose }: { token: Token; onClose: () => void }) {
  const rotate = useRotateToken();
  const [grace, setGrace] = useState('3600');
  const [rotated, setRotated] = useState<{ secret: string; previousValidUntil: string | null } | null>(null);
  if (rotated) {
    return (
      <SecretDialog secret={rotated.secret} title={`New secret for “${token.name}”`} onClose={onClose}>
        <p className="text-sm text-muted-foreground">
          {rotated.previousValidUntil
            ? `The previous secret is valid until ${formatDateTime(rotated.previousValidUntil)}.`
            : 'The previous secret no longer works.'}
        </p>
      </SecretDialog>
    );
  }
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={`Rotate “${token.name}”`} description="Its permissions, projects and expiry stay; only the secret changes.">
        <Field id="rotate-grace" label="The old secret">
          <Select id="rotate-grace" value={grace} onChange={(e) => setGrace(e.target.value)}>
            {GRACE_CHOICES.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {choice.label}
              </option>
            ))}
          </Select>
        </Field>
        <ErrorMessage error={rotate.error} />
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={rotate.isPending}
            onClick={async () => {
              const issued = await rotate.mutateAsync([token.id, Number(grace)]);
              setRotated({ secret: issued.token, previousValidUntil: issued.previousSecretValidUntil });
            }}
          >
            {rotate.isPending ? 'Rotating…' : 'Rotate secret'}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
