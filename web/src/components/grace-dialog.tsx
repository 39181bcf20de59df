import { useState } from 'react';
import { ErrorMessage } from './error-message';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogFooter } from './ui/dialog';
import { Select } from './ui/input';
import { Field } from './ui/label';

interface GraceChoice {
  seconds: number;
  label: string;
}

interface GraceDialogProps {
  title: string;
  description: string;
  /** What the grace applies to: "The old token", "The old secret". */
  label: string;
  choices: readonly GraceChoice[];
  initialSeconds: number;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (graceSeconds: number) => void;
  onClose: () => void;
}

/** Replacing a secret: how long the old one keeps working, then the new one is issued. */
export function GraceDialog({
  title,
  description,
  label,
  choices,
  initialSeconds,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  onClose,
}: GraceDialogProps) {
  const [grace, setGrace] = useState(String(initialSeconds));
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={title} description={description}>
        <Field id="grace-period" label={label}>
          <Select id="grace-period" value={grace} onChange={(e) => setGrace(e.target.value)}>
            {choices.map((g) => (
              <option key={g.seconds} value={g.seconds}>
                {g.label}
              </option>
            ))}
          </Select>
        </Field>
        <ErrorMessage error={error} />
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={pending} onClick={() => onSubmit(Number(grace))}>
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
