import type { UseFormRegisterReturn } from 'react-hook-form';
import { Field } from '../../components/ui/label';
import { cn, FOCUS_RING } from '../../lib/cn';

const textarea = cn(
  'min-h-20 w-full rounded-md border bg-background px-3 py-2 font-mono text-sm aria-invalid:border-destructive',
  FOCUS_RING,
);

/** The IP allowlist of any token kind: CIDRs one a line; empty allows any address. */
export function AllowedIpsField({ id, registration, error }: { id: string; registration: UseFormRegisterReturn; error?: string }) {
  return (
    <Field
      id={id}
      label="Allowed IP addresses"
      hint="One IPv4 or IPv6 address or CIDR a line (e.g. 203.0.113.0/24, 2001:db8::/32). Empty: any address."
      error={error}
    >
      <textarea
        id={id}
        className={textarea}
        spellCheck={false}
        autoComplete="off"
        placeholder="203.0.113.0/24"
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        {...registration}
      />
    </Field>
  );
}
