import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import type { DialectName } from '../../src/db/database.js';
import { dropSchema, freshSchemaName, TEST_POSTGRES_URL } from './postgres.js';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  body?: unknown;
  /** A raw body, sent as is (malformed JSON, huge payloads). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  dialect: DialectName;
  url: string;
  ctx: AppContext;
  app: FastifyInstance;
  /** Where this app's data lives (SQLite file folder). */
  dataDir: string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

export const TEST_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  TASKGATE_PASSWORD_HASH_COST: '1024',
  TASKGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
  TASKGATE_SESSION_RATE_LIMIT: '100000',
  TASKGATE_ANONYMOUS_RATE_LIMIT: '100000',
  TASKGATE_LOGIN_MAX_FAILURES: '1000',
};

/** The environment a server process for `dialect` needs (tests that spawn real processes use it). */
export function dialectEnv(dialect: DialectName, dataDir: string, schema: string): Record<string, string> {
  return dialect === 'postgres'
    ? { DATABASE_URL: TEST_POSTGRES_URL, TASKGATE_DB_SCHEMA: schema, TASKGATE_DATA_DIR: dataDir }
    : { DATABASE_URL: path.join(dataDir, 'taskgate.sqlite'), TASKGATE_DATA_DIR: dataDir };
}

/** Starts a real Taskgate on a random port against a fresh database of the given dialect. */
export async function startTestApp(dialect: DialectName, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-test-'));
  const schema = freshSchemaName();
  const config = loadConfig({ ...TEST_ENV, ...dialectEnv(dialect, dataDir, schema), ...env });
  const ctx = await createContext(config);
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;

  return {
    dialect,
    url,
    ctx,
    app,
    dataDir,
    async request(method, requestPath, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      } else if (body !== undefined) {
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + requestPath, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: leave the text
      }
      return { status: res.status, body: parsed as any, headers: res.headers, text };
    },
    async close() {
      await app.close();
      await ctx.close();
      if (dialect === 'postgres') await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function enabledDialects(): DialectName[] {
  return inject('postgresAvailable') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * Runs a suite once per dialect against what `start` makes for it (an in-process app, a server
 * process…), started before the suite and closed after it. `get()` is valid inside tests and hooks.
 */
export function describeEachDialectWith<T extends { close(): Promise<void> }>(
  name: string,
  start: (dialect: DialectName) => Promise<T>,
  suite: (get: () => T) => void,
): void {
  for (const dialect of enabledDialects()) {
    describe(`${name} [${dialect}]`, () => {
      let started: T | null = null;
      beforeAll(async () => {
        started = await start(dialect);
      });
      afterAll(async () => {
        await started?.close();
      });
      suite(() => {
        if (!started) throw new Error(`${name}: not started`);
        return started;
      });
    });
  }
}

/** Runs the same suite against SQLite and PostgreSQL, each with its own app and fresh database. */
export function describeEachDialect(name: string, suite: (getApp: () => TestApp) => void, env: Record<string, string> = {}): void {
  describeEachDialectWith(name, (dialect) => startTestApp(dialect, env), suite);
}
