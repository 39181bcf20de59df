import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { accessTokensQuery } from '../access-tokens/api';
import { agentsQuery } from '../agents/api';
import { tokensQuery } from './api';
import { EXPIRY_WARNING_DAYS, expiresSoon } from './token-badges';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * "2 tokens expire within 7 days": your personal tokens and the current workspace's access and agent tokens, as
 * their lists count them (`expiresInDays`), each kind linking to its page.
 */
export function ExpiringTokensBanner({ workspaceId }: { workspaceId: string | null }) {
  const inWorkspace = { enabled: workspaceId !== null };
  const personal = useQuery(tokensQuery({})).data ?? [];
  const access = useQuery({ ...accessTokensQuery(workspaceId ?? ''), ...inWorkspace }).data ?? [];
  const agents = useQuery({ ...agentsQuery(workspaceId ?? ''), ...inWorkspace }).data ?? [];
  const counts = {
    personal: personal.filter((t) => t.status === 'active' && expiresSoon(t.expiresInDays)).length,
    access: access.filter((t) => t.status === 'active' && expiresSoon(t.expiresInDays)).length,
    agent: agents.filter((a) => a.status === 'active' && expiresSoon(a.token?.expiresInDays ?? null)).length,
  };
  const total = counts.personal + counts.access + counts.agent;
  if (total === 0) return null;
  const link = 'font-medium underline';
  const parts = [
    counts.personal > 0 && (
      <Link key="personal" to="/settings/tokens" className={link}>
        {plural(counts.personal, 'personal token', 'personal tokens')}
      </Link>
    ),
    counts.access > 0 && workspaceId && (
      <Link key="access" to="/workspace/$workspaceId/access-tokens" params={{ workspaceId }} className={link}>
        {plural(counts.access, 'access token', 'access tokens')}
      </Link>
    ),
    counts.agent > 0 && workspaceId && (
      <Link key="agent" to="/workspace/$workspaceId/agents" params={{ workspaceId }} className={link}>
        {plural(counts.agent, 'agent token', 'agent tokens')}
      </Link>
    ),
  ].filter(Boolean);
  return (
    <section aria-label="Tokens expiring soon" className="mx-auto mt-4 max-w-6xl px-4">
      <p role="status" data-testid="expiring-tokens" className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
        <strong>
          {plural(total, 'token expires', 'tokens expire')} within {EXPIRY_WARNING_DAYS} days
        </strong>
        : {parts.flatMap((part, i) => (i === 0 ? [part] : [', ', part]))}. Rotate or replace {total === 1 ? 'it' : 'them'} before{' '}
        {total === 1 ? 'it stops' : 'they stop'} working.
      </p>
    </section>
  );
}
