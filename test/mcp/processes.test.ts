import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { DialectName } from '../../src/db/database.js';
import { userWithProject } from '../client/server.js';
import { describeEachDialectWith, dialectEnv } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { callOk, mcpClient } from './mcp-client.js';

/** Two server processes on one database, as behind a load balancer. */
async function startTwoProcesses(dialect: DialectName) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-mcp-'));
  const schema = freshSchemaName();
  const env = dialectEnv(dialect, dataDir, schema);
  const first = await startServerProcess(env);
  const second = await startServerProcess(env);
  return {
    processes: [first, second] as const,
    async close() {
      await Promise.all([first.stop(), second.stop()]);
      if (dialect === 'postgres') await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describeEachDialectWith('MCP across server processes', startTwoProcesses, (servers) => {
  it('serves one client whose every request lands on another process (no session to lose)', async () => {
    const [first, second]: readonly ServerProcess[] = servers().processes;
    const { tg, project } = await userWithProject(first!.url);
    const task = await tg.tasks.create({ projectId: project.id, title: 'Load-balanced' });
    const { token } = await tg.tokens.create({ name: 'balanced' });

    // Each request of the client goes to the other process than the one before.
    const hosts: string[] = [];
    const alternate = (url: string | URL, init?: RequestInit) => {
      const target = new URL(url);
      const next = hosts.length % 2 === 0 ? first! : second!;
      target.port = String(next.port);
      hosts.push(target.port);
      return fetch(target, init);
    };
    const client = await mcpClient(first!.url, token, alternate);
    await client.listTools();
    expect(await callOk(client, 'claim_task', { taskId: task.id })).toMatchObject({ status: 'in_progress' });
    expect(await callOk(client, 'complete_task', { taskId: task.id, resultNote: 'Across processes' })).toMatchObject({ status: 'done' });
    expect(new Set(hosts)).toEqual(new Set([String(first!.port), String(second!.port)]));
    await client.close();
  });
});
