import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as tasks from './0002_tasks.js';
import * as personalTokens from './0003_personal_tokens.js';
import * as agents from './0004_agents.js';
import * as webhooks from './0005_webhooks.js';
import * as webhookKeyCheck from './0006_webhook_key_check.js';
import * as membershipsCredentials from './20261202_memberships_credentials.js';
import * as streamEventIndex from './20261202_stream_event_index.js';
import * as eventResumeXmin from './20261202_stream_event_resume_xmin.js';
import * as tokenIpAllowlists from './20261203_token_ip_allowlists.js';
import * as tokenLeaks from './20261203_token_leaks.js';
import * as tokenWarnings from './20261203_token_warnings.js';
import * as delegatedTokens from './20261204_delegated_tokens.js';
import * as pgDataVersion from './20261204_pg_data_version.js';
import * as tokenPermissionUses from './20261204_token_permission_uses.js';

/** Every migration, in order. Names sort lexically; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_tasks': tasks,
  '0003_personal_tokens': personalTokens,
  '0004_agents': agents,
  '0005_webhooks': webhooks,
  '0006_webhook_key_check': webhookKeyCheck,
  '20261202_memberships_credentials': membershipsCredentials,
  '20261202_stream_event_index': streamEventIndex,
  '20261202_stream_event_resume_xmin': eventResumeXmin,
  '20261203_token_ip_allowlists': tokenIpAllowlists,
  '20261203_token_leaks': tokenLeaks,
  '20261203_token_warnings': tokenWarnings,
  '20261204_delegated_tokens': delegatedTokens,
  '20261204_pg_data_version': pgDataVersion,
  '20261204_token_permission_uses': tokenPermissionUses,
};
