import type { AccessToken } from '@taskgate/client';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { Input, Select } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { allowlistOf, allowlistText, validateAllowlist } from '../../lib/cidr';
import { placeFieldErrors } from '../../lib/field-errors';
import { AllowedIpsField } from '../tokens/allowed-ips-field';
import { ROLE_LABELS, type Role } from './roles';

const EXPIRY_DAYS = [7, 30, 90, 365] as const;

interface AccessTokenForm {
  label: string;
  scope: Role;
  expiry: 'keep' | 'never' | `${(typeof EXPIRY_DAYS)[number]}`;
  allowedIps: string;
}

export interface AccessTokenRequest {
  label: string;
  scope: Role;
  expiresAt?: string | null;
  allowedIps: string[] | null;
}

/** Create (no `token`) or edit a workspace access token: label, scope within your role, expiry, IP allowlist. */
export function AccessTokenDialog({
  token,
  scopes,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  token: AccessToken | null;
  scopes: readonly Role[];
  pending: boolean;
  error: unknown;
  /** Rejects with the server's refusal, whose field errors the form then shows. */
  onSubmit: (request: AccessTokenRequest) => Promise<void>;
  onClose: () => void;
}) {
  const form = useForm<AccessTokenForm>({
    defaultValues: {
      label: token?.label ?? '',
      scope: token?.scope ?? scopes.at(-1) ?? 'viewer',
      expiry: token ? 'keep' : '90',
      allowedIps: allowlistText(token?.allowedIps ?? null),
    },
  });
  const labelError = form.formState.errors.label?.message;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title={token ? `Edit “${token.label}”` : 'Create access token'}
        description="A workspace key that acts with one role, whoever created it."
      >
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit(({ label, scope, expiry, allowedIps }) =>
            onSubmit({
              label: label.trim(),
              scope,
              allowedIps: allowlistOf(allowedIps),
              ...(expiry === 'keep'
                ? {}
                : { expiresAt: expiry === 'never' ? null : new Date(Date.now() + Number(expiry) * 86_400_000).toISOString() }),
            }).catch((refusal: unknown) => placeFieldErrors(refusal, { allowedIps: 'allowedIps' }, form.setError)),
          )}
        >
          <Field id="access-token-label" label="Label" error={labelError}>
            <Input
              id="access-token-label"
              aria-invalid={!!labelError}
              {...form.register('label', {
                validate: (v) => (v.trim() === '' ? 'Give the token a label' : v.trim().length > 100 ? 'At most 100 characters' : true),
              })}
            />
          </Field>
          <Field id="access-token-scope" label="Scope" hint="The role it acts with: never above your own">
            <Select id="access-token-scope" {...form.register('scope')}>
              {scopes.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="access-token-expiry" label="Expires">
            <Select id="access-token-expiry" {...form.register('expiry')}>
              {token && <option value="keep">Keep the current expiry</option>}
              {EXPIRY_DAYS.map((days) => (
                <option key={days} value={String(days)}>
                  In {days} days
                </option>
              ))}
              {token && <option value="never">Never</option>}
            </Select>
          </Field>
          <AllowedIpsField
            id="access-token-allowed-ips"
            registration={form.register('allowedIps', { validate: validateAllowlist })}
            error={form.formState.errors.allowedIps?.message}
          />
          <ErrorMessage error={error} />
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? 'Saving…' : token ? 'Save changes' : 'Create token'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
