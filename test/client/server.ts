import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Taskgate } from '../../packages/client/src/index.js';
import { openDatabase, type Db, type DialectName } from '../../src/db/database.js';
import { describeEachDialectWith, dialectEnv } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { uniqueEmail } from '../helpers/factories.js';

/** A real Taskgate server process for the client to talk to, with an instance admin. */
export interface ClientTestServer {
  dialect: DialectName;
  url: string;
  process: ServerProcess;
  admin: { email: string; password: string };
  /** Runs `edit` on the server's database through a connection of its own (row edits instead of waiting). */
  editRows<T>(edit: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function startClientTestServer(dialect: DialectName, env: Record<string, string>): Promise<ClientTestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-client-'));
  const schema = freshSchemaName();
  const admin = { email: uniqueEmail('admin'), password: `pw-${randomBytes(8).toString('hex')}` };
  const database = dialectEnv(dialect, dataDir, schema);
  const server = await startServerProcess({
    ...database,
    TASKGATE_ADMIN_EMAIL: admin.email,
    TASKGATE_ADMIN_PASSWORD: admin.password,
    ...env,
  });
  return {
    dialect,
    url: server.url,
    process: server,
    admin,
    async editRows(edit) {
      const handle = await openDatabase(database.DATABASE_URL!, database.TASKGATE_DB_SCHEMA ?? null);
      try {
        return await edit(handle.db);
      } finally {
        await handle.close();
      }
    },
    async close() {
      await server.stop();
      if (dialect === 'postgres') await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs a suite against a server process of each dialect. */
export function describeWithServer(name: string, suite: (server: () => ClientTestServer) => void, env: Record<string, string> = {}): void {
  describeEachDialectWith(name, (dialect) => startClientTestServer(dialect, env), suite);
}

export interface SignedIn {
  tg: Taskgate;
  user: { id: string; email: string; password: string };
  sessionToken: string;
}

/** A fresh user, registered and signed in through the client. */
export async function signedInUser(url: string, name = 'Client User'): Promise<SignedIn> {
  const anonymous = new Taskgate({ baseUrl: url });
  const email = uniqueEmail('client');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const { user } = await anonymous.auth.register({ email, password, name });
  const { sessionToken } = await anonymous.auth.login({ email, password });
  return { tg: new Taskgate({ baseUrl: url, token: sessionToken }), user: { id: user.id, email, password }, sessionToken };
}

/** A signed-in user with a workspace, a space and a project. */
export async function userWithProject(url: string) {
  const signedIn = await signedInUser(url);
  const { tg } = signedIn;
  const workspace = await tg.workspaces.create({ name: 'Client workspace' });
  const space = await tg.spaces.create(workspace.id, { name: 'Engineering' });
  const project = await tg.projects.create({ spaceId: space.id, name: 'API' });
  return { ...signedIn, workspace, space, project };
}
