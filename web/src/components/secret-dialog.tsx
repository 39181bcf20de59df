import { useState, type ReactNode } from 'react';
import { CopyButton } from './copy-button';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogFooter } from './ui/dialog';
import { Input } from './ui/input';
import { Label } from './ui/label';

/**
 * A secret shown this once (a new token, a rotated one, an agent's). Closing it before copying asks
 * first: the secret cannot be shown again.
 */
export function SecretDialog({
  secret,
  title,
  onClose,
  children,
}: {
  secret: string | null;
  title: string;
  onClose: () => void;
  children?: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const close = () => {
    setCopied(false);
    setConfirming(false);
    onClose();
  };
  return (
    <Dialog open={secret !== null} onOpenChange={(open) => !open && (copied ? close() : setConfirming(true))}>
      <DialogContent title={title} description="Copy it now and keep it somewhere safe: it will not be shown again.">
        <div className="grid gap-1.5">
          <Label htmlFor="new-secret">Secret</Label>
          <div className="flex gap-2">
            <Input id="new-secret" readOnly value={secret ?? ''} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={secret ?? ''} onCopied={() => setCopied(true)} />
          </div>
        </div>
        {children}
        {confirming && !copied && (
          <p role="alert" className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm text-warning">
            You have not copied this secret. Once closed it is gone for good.
          </p>
        )}
        <DialogFooter>
          {confirming && !copied ? (
            <Button variant="destructive" onClick={close}>
              Close without copying
            </Button>
          ) : (
            <Button onClick={() => (copied ? close() : setConfirming(true))}>Done</Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
