import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration, parseDurationList } from '../lib/duration.js';
import { parseTrustProxy, type TrustProxy } from '../http/trust-proxy.js';

export type Plan = 'free' | 'pro' | 'team';
export const PLANS: readonly Plan[] = ['free', 'pro', 'team'];

/** Every setting Taskgate reads, already parsed and validated. Built once, in the composition root. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` for PostgreSQL; anything else is a SQLite file path. */
  databaseUrl: string;
  /** PostgreSQL only: the schema to use (tests give every run a fresh one). */
  databaseSchema: string | null;
  redisUrl: string | null;
  /** PostgreSQL: how long to wait for a connection, and for one statement, before answering 503. */
  databaseConnectTimeoutMs: number;
  databaseStatementTimeoutMs: number;
  /** How long one rate-limit call may wait for Redis before this process counts in memory instead. */
  redisCommandTimeoutMs: number;
  logLevel: string;
  openSignup: boolean;
  defaultPlan: Plan;
  adminEmail: string | null;
  adminPassword: string | null;
  /** scrypt cost parameter N (a power of two); tests lower it to keep the suite fast. */
  passwordHashCost: number;
  sessionTtlMs: number;
  bodyLimitBytes: number;
  /** How often buffered "last used" times are written to the database. */
  lastUsedFlushMs: number;
  tokenMaxLifetimeMs: number;
  /** Workspace access tokens (tgw_) and agent tokens (tga_) expire too; each kind may have its own maximum. */
  workspaceTokenMaxLifetimeMs: number;
  agentTokenMaxLifetimeMs: number;
  /** Personal tokens one user may hold that still work (not revoked, not expired). */
  maxTokensPerUser: number;
  /** Workspace access tokens plus agents one workspace may hold. */
  maxTokensPerWorkspace: number;
  /** How long before expiry `token.expiring` is recorded, longest first (TASKGATE_TOKEN_EXPIRY_WARNINGS, default 7d,1d). */
  tokenExpiryWarningsMs: number[];
  /** Days a working token may go unused (since its creation) before it is stale (TASKGATE_STALE_TOKEN_DAYS). */
  staleTokenDays: number;
  /** How long an invitation to a workspace can be accepted. */
  invitationTtlMs: number;
  /** NIST 800-63B: a minimum length and a list of common passwords, no composition rules. */
  passwordMinLength: number;
  tokenRateLimitPerMinute: number;
  sessionRateLimitPerMinute: number;
  anonymousRateLimitPerMinute: number;
  /** Leak reports (POST /token-leaks) one IP address may send per minute (TASKGATE_LEAK_REPORT_RATE_LIMIT). */
  leakReportRateLimitPerMinute: number;
  /** Sign-in attempts for one account from one IP address in a window, before 429 (counted before the password is checked). */
  loginMaxFailures: number;
  loginFailureWindowMs: number;
  /** The slower limit for one account from every address together: guesses spread over many IPs stop too. */
  loginAccountMaxFailures: number;
  loginAccountFailureWindowMs: number;
  encryptionKey: string | null;
  webhookRetryScheduleMs: number[];
  webhookTimeoutMs: number;
  webhookAllowPrivate: boolean;
  webhookDisableAfterMs: number;
  webhookRetentionMs: number;
  webhookPollMs: number;
  /** How often each workspace with open event streams is read for new events. */
  eventStreamPollMs: number;
  /** How often an idle event stream sends a `: ping` comment (and checks its caller again). */
  eventStreamHeartbeatMs: number;
  /** Event streams one credential may hold open at once, per server process. */
  eventStreamsPerCredential: number;
  /**
   * The origin browsers reach the server at (`https://taskgate.example`), or null: then the request's
   * own Host is trusted as the origin. It decides the expected `Origin` of cookie-authenticated
   * writes, and whether HSTS and `upgrade-insecure-requests` are sent (only for https).
   */
  publicOrigin: string | null;
  /** Which proxies may name the client (X-Forwarded-For/-Proto/-Host): see src/http/trust-proxy.ts. */
  trustProxy: TrustProxy;
  /** The longest a client may take to send a whole request (headers and body); 408 past it. */
  requestTimeoutMs: number;
  /** How long SIGTERM waits for in-flight requests before it ends them (see src/server.ts). */
  shutdownGraceMs: number;
  /** Server processes on one port (Node's cluster); 1: this process serves alone. */
  workers: number;
  /** The built web UI (index.html, favicon.svg, assets/). */
  webDir: string;
  /** The bearer token `GET /metrics` requires; null: no metrics endpoint at all. */
  metricsToken: string | null;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function duration(env: Env, name: string, fallback: string): number {
  const raw = env[name] || fallback;
  const ms = parseDuration(raw);
  if (ms === null) throw new ConfigError(`${name} must be a duration like 30s, 5m, 2h or 30d, got "${raw}"`);
  return ms;
}

/** Keeps a duration inside what the product promises (last use is written at least once a minute). */
function bounded(ms: number, name: string, min: number, max: number): number {
  if (ms < min || ms > max) throw new ConfigError(`${name} must be between ${min / 1000}s and ${max / 1000}s`);
  return ms;
}

/** Distinct positive durations, longest first: the first is the window `expiring=true` lists. */
function expiryWarnings(env: Env, name: string): number[] {
  const raw = env[name] || '7d,1d';
  const list = parseDurationList(raw);
  if (list === null || list.some((ms) => ms <= 0)) {
    throw new ConfigError(`${name} must be a comma-separated list of durations before expiry such as 7d,1d, got "${raw}"`);
  }
  return [...new Set(list)].sort((a, b) => b - a);
}

function optional(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : raw;
}

/** An http(s) origin without path, query or credentials (a trailing slash is dropped): `https://taskgate.example`. */
function origin(env: Env, name: string): string | null {
  const raw = optional(env, name);
  if (raw === null) return null;
  const problem = new ConfigError(
    `${name} must be an http:// or https:// origin without a path, such as https://taskgate.example, got "${raw}"`,
  );
  if (!/^https?:\/\/[^/\\?#@\s]+\/?$/i.test(raw)) throw problem;
  try {
    return new URL(raw).origin;
  } catch {
    throw problem;
  }
}

function trustProxy(env: Env, name: string): TrustProxy {
  const parsed = parseTrustProxy(env[name]);
  if (parsed === null) {
    throw new ConfigError(`${name} must be true, false, a hop count or comma-separated proxy addresses/CIDR ranges, got "${env[name]}"`);
  }
  return parsed;
}

// The repository's web/dist, found from this file rather than the working directory.
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.TASKGATE_DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || path.join(dataDir, 'taskgate.sqlite');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !isPostgresUrl(databaseUrl) && !databaseUrl.startsWith('sqlite:')) {
    throw new ConfigError(`DATABASE_URL must be a SQLite file path or a postgres:// URL, got "${databaseUrl.split('://')[0]}://…"`);
  }
  const redisUrl = optional(env, 'REDIS_URL');
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  }
  const schema = optional(env, 'TASKGATE_DB_SCHEMA');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(`TASKGATE_DB_SCHEMA must be a lower-case SQL identifier, got "${schema}"`);
  }
  const retryRaw = env.TASKGATE_WEBHOOK_RETRY_SCHEDULE || '5s,5m,30m,2h,5h,10h,10h';
  const webhookRetryScheduleMs = parseDurationList(retryRaw);
  if (webhookRetryScheduleMs === null) {
    throw new ConfigError(`TASKGATE_WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations, got "${retryRaw}"`);
  }
  if ((env.TASKGATE_ADMIN_EMAIL ? 1 : 0) + (env.TASKGATE_ADMIN_PASSWORD ? 1 : 0) === 1) {
    throw new ConfigError('TASKGATE_ADMIN_EMAIL and TASKGATE_ADMIN_PASSWORD must be set together');
  }
  // The full password policy (length, common passwords) is applied when the admin is created.
  if (env.TASKGATE_ADMIN_PASSWORD && env.TASKGATE_ADMIN_PASSWORD.length < 8) {
    throw new ConfigError('TASKGATE_ADMIN_PASSWORD must have at least 8 characters');
  }
  const encryptionKey = optional(env, 'TASKGATE_ENCRYPTION_KEY');
  if (encryptionKey !== null && Buffer.from(encryptionKey, 'base64').length !== 32) {
    throw new ConfigError('TASKGATE_ENCRYPTION_KEY must be 32 bytes encoded as base64');
  }
  const cost = integer(env, 'TASKGATE_PASSWORD_HASH_COST', 16384, 1024, 1 << 20);
  if ((cost & (cost - 1)) !== 0) throw new ConfigError(`TASKGATE_PASSWORD_HASH_COST must be a power of two, got "${cost}"`);

  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl,
    databaseSchema: schema,
    redisUrl,
    databaseConnectTimeoutMs: bounded(duration(env, 'TASKGATE_DB_CONNECT_TIMEOUT', '2s'), 'TASKGATE_DB_CONNECT_TIMEOUT', 100, 60_000),
    databaseStatementTimeoutMs: bounded(
      duration(env, 'TASKGATE_DB_STATEMENT_TIMEOUT', '5s'),
      'TASKGATE_DB_STATEMENT_TIMEOUT',
      100,
      600_000,
    ),
    redisCommandTimeoutMs: bounded(duration(env, 'TASKGATE_REDIS_TIMEOUT', '50ms'), 'TASKGATE_REDIS_TIMEOUT', 5, 10_000),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    openSignup: boolean(env, 'TASKGATE_OPEN_SIGNUP', true),
    defaultPlan: oneOf(env, 'TASKGATE_DEFAULT_PLAN', PLANS, 'pro'),
    adminEmail: optional(env, 'TASKGATE_ADMIN_EMAIL'),
    adminPassword: optional(env, 'TASKGATE_ADMIN_PASSWORD'),
    passwordHashCost: cost,
    sessionTtlMs: duration(env, 'TASKGATE_SESSION_TTL', '30d'),
    bodyLimitBytes: integer(env, 'TASKGATE_BODY_LIMIT_BYTES', 1024 * 1024, 1024),
    lastUsedFlushMs: bounded(duration(env, 'TASKGATE_LAST_USED_FLUSH', '30s'), 'TASKGATE_LAST_USED_FLUSH', 1000, 60_000),
    tokenMaxLifetimeMs: duration(env, 'TASKGATE_TOKEN_MAX_LIFETIME', '365d'),
    workspaceTokenMaxLifetimeMs: duration(env, 'TASKGATE_WORKSPACE_TOKEN_MAX_LIFETIME', env.TASKGATE_TOKEN_MAX_LIFETIME || '365d'),
    agentTokenMaxLifetimeMs: duration(env, 'TASKGATE_AGENT_TOKEN_MAX_LIFETIME', env.TASKGATE_TOKEN_MAX_LIFETIME || '365d'),
    maxTokensPerUser: integer(env, 'TASKGATE_MAX_TOKENS_PER_USER', 50, 1),
    maxTokensPerWorkspace: integer(env, 'TASKGATE_MAX_TOKENS_PER_WORKSPACE', 200, 1),
    tokenExpiryWarningsMs: expiryWarnings(env, 'TASKGATE_TOKEN_EXPIRY_WARNINGS'),
    staleTokenDays: integer(env, 'TASKGATE_STALE_TOKEN_DAYS', 90, 1, 3650),
    invitationTtlMs: duration(env, 'TASKGATE_INVITATION_TTL', '7d'),
    passwordMinLength: integer(env, 'TASKGATE_PASSWORD_MIN_LENGTH', 12, 8, 256),
    tokenRateLimitPerMinute: integer(env, 'TASKGATE_TOKEN_RATE_LIMIT', 100, 1),
    sessionRateLimitPerMinute: integer(env, 'TASKGATE_SESSION_RATE_LIMIT', 1000, 1),
    anonymousRateLimitPerMinute: integer(env, 'TASKGATE_ANONYMOUS_RATE_LIMIT', 300, 1),
    leakReportRateLimitPerMinute: integer(env, 'TASKGATE_LEAK_REPORT_RATE_LIMIT', 10, 1),
    loginMaxFailures: integer(env, 'TASKGATE_LOGIN_MAX_FAILURES', 10, 1),
    loginFailureWindowMs: duration(env, 'TASKGATE_LOGIN_FAILURE_WINDOW', '15m'),
    loginAccountMaxFailures: integer(
      env,
      'TASKGATE_LOGIN_ACCOUNT_MAX_FAILURES',
      10 * integer(env, 'TASKGATE_LOGIN_MAX_FAILURES', 10, 1),
      1,
    ),
    loginAccountFailureWindowMs: duration(env, 'TASKGATE_LOGIN_ACCOUNT_FAILURE_WINDOW', '1h'),
    encryptionKey,
    webhookRetryScheduleMs,
    webhookTimeoutMs: duration(env, 'TASKGATE_WEBHOOK_TIMEOUT', '15s'),
    webhookAllowPrivate: boolean(env, 'TASKGATE_WEBHOOK_ALLOW_PRIVATE', false),
    webhookDisableAfterMs: duration(env, 'TASKGATE_WEBHOOK_DISABLE_AFTER', '5d'),
    webhookRetentionMs: duration(env, 'TASKGATE_WEBHOOK_RETENTION', '30d'),
    webhookPollMs: duration(env, 'TASKGATE_WEBHOOK_POLL', '1s'),
    eventStreamPollMs: bounded(duration(env, 'TASKGATE_EVENT_STREAM_POLL', '500ms'), 'TASKGATE_EVENT_STREAM_POLL', 10, 60_000),
    eventStreamHeartbeatMs: bounded(
      duration(env, 'TASKGATE_EVENT_STREAM_HEARTBEAT', '15s'),
      'TASKGATE_EVENT_STREAM_HEARTBEAT',
      10,
      300_000,
    ),
    eventStreamsPerCredential: integer(env, 'TASKGATE_EVENT_STREAMS_PER_CREDENTIAL', 5, 1, 1000),
    publicOrigin: origin(env, 'TASKGATE_PUBLIC_URL'),
    trustProxy: trustProxy(env, 'TASKGATE_TRUST_PROXY'),
    requestTimeoutMs: bounded(duration(env, 'TASKGATE_REQUEST_TIMEOUT', '60s'), 'TASKGATE_REQUEST_TIMEOUT', 1000, 3_600_000),
    shutdownGraceMs: bounded(duration(env, 'TASKGATE_SHUTDOWN_GRACE', '15s'), 'TASKGATE_SHUTDOWN_GRACE', 100, 3_600_000),
    workers: workerCount(env, 'TASKGATE_WORKERS'),
    webDir: path.resolve(env.TASKGATE_WEB_DIR || DEFAULT_WEB_DIR),
    metricsToken: env.TASKGATE_METRICS_TOKEN || null,
  };
}

/** `auto` is one per CPU the process may use; otherwise a count from 1 to 64. */
function workerCount(env: Env, name: string): number {
  if (env[name] === 'auto') return os.availableParallelism();
  return integer(env, name, 1, 1, 64);
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
