import { useQuery } from '@tanstack/react-query';
import { useForm, useWatch } from 'react-hook-form';
import type { ReactNode } from 'react';
import { Input, Select } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { allowlistOf, validateAllowlist } from '../../lib/cidr';
import { AllowedIpsField } from './allowed-ips-field';
import { customDateBounds, EXPIRY_PRESETS, expiresAtOf, type ExpiryChoice } from './expiry';
import { permissionCatalogueQuery, projectChoicesQuery } from './api';

export interface TokenFormValues {
  name: string;
  permissionMode: 'all' | 'some';
  permissions: string[];
  projectMode: 'all' | 'some';
  projectIds: string[];
  expiry: ExpiryChoice | 'keep';
  customDate: string;
  rateLimit: string;
  /** The IP allowlist as typed, one CIDR a line; empty: any address. */
  allowedIps: string;
}

/** What the form's values ask the API for (fields left as they are in an edit are omitted). */
export function tokenRequest(values: TokenFormValues) {
  return {
    name: values.name.trim(),
    permissions: values.permissionMode === 'all' ? null : values.permissions,
    projectIds: values.projectMode === 'all' ? null : values.projectIds,
    ...(values.expiry === 'keep' ? {} : { expiresAt: expiresAtOf(values.expiry, values.customDate) }),
    rateLimitPerMinute: values.rateLimit.trim() === '' ? null : Number(values.rateLimit),
    allowedIps: allowlistOf(values.allowedIps),
  };
}

export function useTokenForm(defaults: Partial<TokenFormValues>) {
  return useForm<TokenFormValues>({
    defaultValues: {
      name: '',
      permissionMode: 'all',
      permissions: [],
      projectMode: 'all',
      projectIds: [],
      expiry: '30',
      customDate: '',
      rateLimit: '',
      allowedIps: '',
      ...defaults,
    },
  });
}

const checkbox = 'mt-0.5 h-4 w-4 shrink-0 accent-[var(--color-primary)]';

function Choice({ children }: { children: ReactNode }) {
  // biome-ignore lint/a11y/noLabelWithoutControl: the control (a checkbox or radio) comes in as a child.
  return <label className="flex items-start gap-2 text-sm">{children}</label>;
}

/** The fields of a personal token, for creating one and for editing it. */
export function TokenFields({ form, editing }: { form: ReturnType<typeof useTokenForm>; editing: boolean }) {
  const {
    register,
    control,
    formState: { errors },
  } = form;
  const [permissionMode, projectMode, expiry] = useWatch({ control, name: ['permissionMode', 'projectMode', 'expiry'] });
  const catalogue = useQuery(permissionCatalogueQuery);
  const projects = useQuery(projectChoicesQuery);
  const bounds = customDateBounds();
  return (
    <div className="grid gap-4">
      <Field id="token-name" label="Name" hint="What the token is for, e.g. “CI deploys”" error={errors.name?.message}>
        <Input
          id="token-name"
          aria-invalid={!!errors.name}
          aria-describedby={errors.name ? 'token-name-error' : 'token-name-hint'}
          {...register('name', {
            validate: (v) =>
              v.trim() === '' ? 'Token name is required.' : v.trim().length > 100 ? 'Token name must be at most 100 characters.' : true,
          })}
        />
      </Field>

      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Permissions</legend>
        <Choice>
          <input type="radio" value="all" className={checkbox} {...register('permissionMode')} />
          Everything your role allows, now and later
        </Choice>
        <Choice>
          <input type="radio" value="some" className={checkbox} {...register('permissionMode')} />
          Only the permissions chosen below
        </Choice>
        {permissionMode === 'some' && (
          <div className="grid max-h-64 gap-3 overflow-y-auto rounded-md border p-3">
            {catalogue.isPending && <p className="text-sm text-muted-foreground">Loading permissions…</p>}
            {catalogue.data?.categories.map((category) => (
              <fieldset key={category.category} className="grid gap-1.5">
                <legend className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">{category.category}</legend>
                {category.permissions.map((permission) => (
                  <Choice key={permission.name}>
                    <input
                      type="checkbox"
                      value={permission.name}
                      className={checkbox}
                      {...register('permissions', {
                        validate: (v, all) => all.permissionMode === 'all' || v.length > 0 || 'Choose at least one permission',
                      })}
                    />
                    <span>
                      <span className="font-mono text-xs">{permission.name}</span>{' '}
                      <span className="text-muted-foreground">— {permission.description}</span>
                    </span>
                  </Choice>
                ))}
              </fieldset>
            ))}
          </div>
        )}
        {errors.permissions && (
          <p role="alert" className="text-xs text-destructive-text">
            {errors.permissions.message}
          </p>
        )}
      </fieldset>

      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Projects</legend>
        <Choice>
          <input type="radio" value="all" className={checkbox} {...register('projectMode')} />
          Every project you can see
        </Choice>
        <Choice>
          <input type="radio" value="some" className={checkbox} {...register('projectMode')} />
          Only these projects (no workspace-wide changes)
        </Choice>
        {projectMode === 'some' && (
          <div className="grid max-h-48 gap-2 overflow-y-auto rounded-md border p-3">
            {projects.isPending && <p className="text-sm text-muted-foreground">Loading projects…</p>}
            {projects.data?.every((w) => w.projects.length === 0) && (
              <p className="text-sm text-muted-foreground">You have no projects yet.</p>
            )}
            {projects.data
              ?.filter((w) => w.projects.length > 0)
              .map(({ workspace, projects: list }) => (
                <fieldset key={workspace.id} className="grid gap-1.5">
                  <legend className="text-xs font-semibold text-muted-foreground">{workspace.name}</legend>
                  {list.map((project) => (
                    <Choice key={project.id}>
                      <input
                        type="checkbox"
                        value={project.id}
                        className={checkbox}
                        {...register('projectIds', {
                          validate: (v, all) => all.projectMode === 'all' || v.length > 0 || 'Choose at least one project',
                        })}
                      />
                      {project.name}
                    </Choice>
                  ))}
                </fieldset>
              ))}
          </div>
        )}
        {errors.projectIds && (
          <p role="alert" className="text-xs text-destructive-text">
            {errors.projectIds.message}
          </p>
        )}
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="token-expiry" label="Expires">
          <Select id="token-expiry" {...register('expiry')}>
            {editing && <option value="keep">Keep the current expiry</option>}
            {EXPIRY_PRESETS.map((days) => (
              <option key={days} value={String(days)}>
                In {days} days
              </option>
            ))}
            <option value="custom">On a date…</option>
          </Select>
        </Field>
        {expiry === 'custom' && (
          <Field id="token-expiry-date" label="Expiry date" error={errors.customDate?.message}>
            <Input
              id="token-expiry-date"
              type="date"
              min={bounds.min}
              max={bounds.max}
              aria-invalid={!!errors.customDate}
              {...register('customDate', { validate: (v, all) => all.expiry !== 'custom' || v !== '' || 'Pick a date' })}
            />
          </Field>
        )}
        <Field id="token-rate" label="Rate limit (requests per minute)" hint="Empty: the server's limit" error={errors.rateLimit?.message}>
          <Input
            id="token-rate"
            inputMode="numeric"
            aria-invalid={!!errors.rateLimit}
            {...register('rateLimit', {
              validate: (v) => v.trim() === '' || /^[1-9][0-9]{0,6}$/.test(v.trim()) || 'A whole number of at least 1',
            })}
          />
        </Field>
      </div>
      <AllowedIpsField
        id="token-allowed-ips"
        registration={register('allowedIps', { validate: validateAllowlist })}
        error={errors.allowedIps?.message}
      />
    </div>
  );
}
