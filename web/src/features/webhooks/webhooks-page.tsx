import type { Webhook } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { GraceDialog } from '../../components/grace-dialog';
import { SecretDialog } from '../../components/secret-dialog';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { taskgate } from '../../lib/api';
import { formatDateTime, relativeTime } from '../../lib/format';
import { callerRoleQuery } from '../../lib/queries';
import { atLeast } from '../../lib/roles';
import { projectsQuery } from '../projects/api';
import { webhooksQuery, useWebhookMutation } from './api';
import { CreateWebhookDialog } from './create-webhook-dialog';
import { DeliveryHistory } from './deliveries';

const GRACE = [
  { seconds: 0, label: 'Stop signing with the old secret now' },
  { seconds: 3600, label: 'Sign with both for 1 hour' },
  { seconds: 86_400, label: 'Sign with both for 24 hours' },
  { seconds: 604_800, label: 'Sign with both for 7 days' },
];

type Action = { kind: 'create' } | { kind: 'rotate' | 'delete'; webhook: Webhook } | null;

function WebhookState({ webhook }: { webhook: Webhook }) {
  if (!webhook.enabled) {
    return (
      <div className="grid gap-1 text-xs" data-testid="webhook-state">
        <span>
          <Badge variant="destructive">Disabled</Badge>
          {webhook.disabledAt && <span className="ml-2">{formatDateTime(webhook.disabledAt)}</span>}
        </span>
        {webhook.disabledReason && <span className="text-destructive-text">Why: {webhook.disabledReason}</span>}
      </div>
    );
  }
  return (
    <div className="grid gap-1 text-xs" data-testid="webhook-state">
      <span>
        <Badge variant="success">Enabled</Badge>
      </span>
      {webhook.failingSince && (
        <span className="text-warning">Failing since {relativeTime(webhook.failingSince)}: it is disabled if it keeps failing.</span>
      )}
    </div>
  );
}

/** `/workspace/:id/webhooks`: signed HTTP callbacks for the workspace's events, and what became of each delivery. */
export function WebhooksPage() {
  const { workspaceId } = useParams({ from: '/signed-in/workspace/$workspaceId/webhooks' });
  const role = useQuery(callerRoleQuery(workspaceId));
  const allowed = atLeast(role.data, 'administrator');
  const webhooks = useQuery({ ...webhooksQuery(workspaceId), enabled: allowed });
  const projects = useQuery(projectsQuery(workspaceId));
  const projectName = new Map((projects.data ?? []).map((p) => [p.id, p.name]));
  const [action, setAction] = useState<Action>(null);
  const [secret, setSecret] = useState<{ value: string; note: string } | null>(null);
  const [showing, setShowing] = useState<string | null>(null);
  const create = useWebhookMutation((body: Parameters<typeof taskgate.webhooks.create>[1]) => taskgate.webhooks.create(workspaceId, body));
  const update = useWebhookMutation((id: string, enabled: boolean) => taskgate.webhooks.update(id, { enabled }));
  const rotate = useWebhookMutation((id: string, graceSeconds: number) => taskgate.webhooks.rotateSecret(id, { graceSeconds }));
  const test = useWebhookMutation((id: string) => taskgate.webhooks.test(id));
  const remove = useWebhookMutation((id: string) => taskgate.webhooks.delete(id));
  const close = () => {
    setAction(null);
    for (const mutation of [create, rotate, remove]) mutation.reset();
  };

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Endpoints that receive the workspace's events as signed HTTP requests, retried until they answer."
        actions={allowed && <Button onClick={() => setAction({ kind: 'create' })}>Add endpoint</Button>}
      />
      {role.data !== undefined && !allowed && (
        <p className="text-sm text-muted-foreground">Webhooks are managed by the workspace's Administrators and Owners.</p>
      )}
      <ErrorMessage error={webhooks.error ?? update.error ?? test.error} />
      {allowed &&
        (webhooks.isPending ? (
          <p className="text-sm text-muted-foreground">Loading webhooks…</p>
        ) : webhooks.data?.length === 0 ? (
          <div className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">No endpoints yet.</div>
        ) : (
          <ul className="grid gap-4">
            {webhooks.data?.map((webhook) => (
              <li key={webhook.id} className="grid gap-3 rounded-lg border p-4" data-webhook-id={webhook.id}>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="break-all font-mono text-sm font-medium">{webhook.url}</p>
                    {webhook.description && <p className="text-sm text-muted-foreground">{webhook.description}</p>}
                    <p className="mt-1 flex flex-wrap gap-1">
                      {webhook.events.map((e) => (
                        <Badge key={e} variant="secondary" className="font-mono">
                          {e}
                        </Badge>
                      ))}
                    </p>
                    <p className="mt-1 text-xs text-muted-foreground">
                      {webhook.projectIds === null
                        ? 'Every project'
                        : `Only ${webhook.projectIds.map((id) => projectName.get(id) ?? id).join(', ')}`}
                      {webhook.previousSecretExpiresAt &&
                        Date.parse(webhook.previousSecretExpiresAt) > Date.now() &&
                        ` · the old secret signs too until ${formatDateTime(webhook.previousSecretExpiresAt)}`}
                    </p>
                  </div>
                  <WebhookState webhook={webhook} />
                </div>
                <div className="flex flex-wrap gap-2">
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={test.isPending}
                    onClick={() => test.mutate([webhook.id], { onSuccess: () => setShowing(webhook.id) })}
                  >
                    Send test event
                  </Button>
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={update.isPending}
                    onClick={() => update.mutate([webhook.id, !webhook.enabled])}
                  >
                    {webhook.enabled ? 'Disable' : 'Enable'}
                  </Button>
                  <Button size="sm" variant="outline" onClick={() => setAction({ kind: 'rotate', webhook })}>
                    Rotate secret…
                  </Button>
                  <Button
                    size="sm"
                    variant="outline"
                    aria-expanded={showing === webhook.id}
                    onClick={() => setShowing(showing === webhook.id ? null : webhook.id)}
                  >
                    {showing === webhook.id ? 'Hide deliveries' : 'Deliveries'}
                  </Button>
                  <Button
                    size="sm"
                    variant="outline"
                    className="text-destructive-text"
                    onClick={() => setAction({ kind: 'delete', webhook })}
                  >
                    Delete…
                  </Button>
                </div>
                {showing === webhook.id && <DeliveryHistory workspaceId={workspaceId} webhookId={webhook.id} canManage={allowed} />}
              </li>
            ))}
          </ul>
        ))}
      {action?.kind === 'create' && (
        <CreateWebhookDialog
          projects={(projects.data ?? []).filter((p) => !p.archived)}
          pending={create.isPending}
          error={create.error}
          onClose={close}
          onSubmit={async (body) => {
            const created = await create.mutateAsync([body]);
            close();
            setSecret({ value: created.secret, note: "Verify each delivery's webhook-signature header with it (Standard Webhooks)." });
          }}
        />
      )}
      {action?.kind === 'rotate' && (
        <GraceDialog
          title="Rotate the signing secret"
          description={
            `A new secret for ${action.webhook.url}. During the grace period each delivery carries both signatures, ` +
            'so the receiver can switch without missing one.'
          }
          label="The old secret"
          choices={GRACE}
          initialSeconds={86_400}
          confirmLabel="Rotate secret"
          pendingLabel="Rotating…"
          pending={rotate.isPending}
          error={rotate.error}
          onClose={close}
          onSubmit={async (grace) => {
            try {
              const rotated = await rotate.mutateAsync([action.webhook.id, grace]);
              close();
              const until = rotated.previousSecretExpiresAt;
              setSecret({
                value: rotated.secret,
                note: until ? `The old secret also signs until ${formatDateTime(until)}.` : 'The old secret no longer signs.',
              });
            } catch {
              // Shown in the dialog.
            }
          }}
        />
      )}
      <SecretDialog secret={secret?.value ?? null} title="The endpoint's signing secret" onClose={() => setSecret(null)}>
        <p className="text-sm text-muted-foreground">{secret?.note}</p>
      </SecretDialog>
      <ConfirmDialog
        open={action?.kind === 'delete'}
        onOpenChange={(open) => !open && close()}
        title="Delete this endpoint?"
        description={action?.kind === 'delete' ? `${action.webhook.url} receives nothing more, and its delivery history goes.` : ''}
        confirmLabel="Delete endpoint"
        pending={remove.isPending}
        onConfirm={() => action?.kind === 'delete' && remove.mutate([action.webhook.id], { onSuccess: close })}
      >
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </>
  );
}
