import { expect } from 'vitest';
import { waitFor as waitForCondition } from '../helpers/wait.js';
import { createToken } from '../tokens/helpers.js';
import { remoteOwner, type Requester } from '../tokens/remote.js';

export interface FaultTenant {
  /** A session: its budget is what the test environment allows (high); writes and checks use it. */
  session: string;
  /** A personal token (rate limit as asked). */
  token: string;
  projectId: string;
}

/** A fresh owner with a workspace, a project to write tasks into and a personal token, over HTTP. */
export async function faultTenant(server: Requester, tokenBody: Record<string, unknown> = {}): Promise<FaultTenant> {
  const { session } = await remoteOwner(server);
  const { body: workspaces } = await server.request('GET', '/api/v1/workspaces', { token: session });
  const workspaceId: string = workspaces.items[0].id;
  const space = await server.request('POST', `/api/v1/workspaces/${workspaceId}/spaces`, { token: session, body: { name: 'Faults' } });
  const project = await server.request('POST', '/api/v1/projects', { token: session, body: { spaceId: space.body.id, name: 'Faults' } });
  expect(project.status, project.text).toBe(201);
  const { token } = await createToken(server, { token: session }, tokenBody);
  return { session, token, projectId: project.body.id };
}

/** Polls until `check` holds, counting a failed check (the server is down) as "not yet". */
export function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  return waitForCondition(what, check, { timeoutMs, intervalMs: 50, ignoreErrors: true });
}

/** Writes tasks, `concurrency` at a time, until `stop()` says so; keeps the id of every 201 and counts the rest by status. */
export function writeLoad(server: Requester, tenant: FaultTenant, concurrency: number) {
  const acknowledged: string[] = [];
  const statuses = new Map<string, number>();
  let running = true;
  let sent = 0;
  const worker = async () => {
    while (running) {
      const title = `Load ${sent++}`;
      try {
        const res = await server.request('POST', '/api/v1/tasks', { token: tenant.session, body: { projectId: tenant.projectId, title } });
        if (res.status === 201) acknowledged.push(res.body.id);
        const key = res.status === 201 ? '201' : `${res.status} ${res.body?.code ?? ''}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      } catch {
        // The connection failed (the server was killed): nothing was acknowledged.
        statuses.set('no answer', (statuses.get('no answer') ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    acknowledged,
    statuses,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** How many of the tasks `ids` the server cannot show (read 20 at a time with the tenant's session). */
export async function missingTasks(server: Requester, tenant: FaultTenant, ids: readonly string[]): Promise<number> {
  let missing = 0;
  for (let i = 0; i < ids.length; i += 20) {
    const reads = await Promise.all(
      ids.slice(i, i + 20).map((id) => server.request('GET', `/api/v1/tasks/${id}`, { token: tenant.session })),
    );
    missing += reads.filter((res) => res.status !== 200).length;
  }
  return missing;
}
