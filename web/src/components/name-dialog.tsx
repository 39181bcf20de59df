import { useForm } from 'react-hook-form';
import { ErrorMessage } from './error-message';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogFooter } from './ui/dialog';
import { Input } from './ui/input';
import { Field } from './ui/label';

interface NameDialogProps {
  title: string;
  description?: string;
  label: string;
  initial?: string;
  submitLabel: string;
  maxLength: number;
  pending: boolean;
  error: unknown;
  /** Its failure is shown through `error`. */
  onSubmit: (name: string) => Promise<void> | void;
  onClose: () => void;
}

/** Asks for one name: creating or renaming a space, a project… */
export function NameDialog({
  title,
  description,
  label,
  initial = '',
  submitLabel,
  maxLength,
  pending,
  error,
  onSubmit,
  onClose,
}: NameDialogProps) {
  const form = useForm({ defaultValues: { name: initial } });
  const fieldError = form.formState.errors.name?.message;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={title} description={description}>
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit(async (v) => {
            try {
              await onSubmit(v.name.trim());
            } catch {
              // The mutation's error is shown below the field.
            }
          })}
        >
          <Field id="name-dialog-name" label={label} error={fieldError}>
            <Input
              id="name-dialog-name"
              aria-invalid={!!fieldError}
              {...form.register('name', {
                validate: (v) => v.trim() !== '' || 'A name is needed',
                maxLength: { value: maxLength, message: `At most ${maxLength} characters` },
              })}
            />
          </Field>
          <ErrorMessage error={error} />
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? 'Saving…' : submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
