import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_POSTGRES_URL } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAvailable: boolean;
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Decides once per run whether the PostgreSQL suite runs; in CI an unreachable server fails the run. */
export default async function setup(project: TestProject): Promise<void> {
  const available = await postgresReachable();
  if (!available) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is unreachable at ${TEST_POSTGRES_URL}; CI must run the PostgreSQL suite`);
    console.warn(`\n*** NOTICE: PostgreSQL unreachable at ${TEST_POSTGRES_URL}: PostgreSQL tests are SKIPPED (they run in CI) ***\n`);
  }
  project.provide('postgresAvailable', available);
}
