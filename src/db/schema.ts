import type { AuditTables } from '../audit/tables.js';
import type { EventTables } from '../events/tables.js';
import type { LabelTables } from '../labels/tables.js';
import type { ProjectTables } from '../projects/tables.js';
import type { SessionTables } from '../sessions/tables.js';
import type { SpaceTables } from '../spaces/tables.js';
import type { TaskTables } from '../tasks/tables.js';
import type { UserTables } from '../users/tables.js';
import type { WebhookTables } from '../webhooks/tables.js';
import type { WorkspaceTables } from '../workspaces/tables.js';
import type { PersonalTokenTables } from '../personal-tokens/tables.js';
import type { WorkspaceTokenTables } from '../workspace-tokens/tables.js';
import type { AgentTables } from '../agents/tables.js';
import type { CredentialTables } from '../credentials/tables.js';
import type { DelegationTables } from '../delegation/tables.js';
import type { TokenUsageTables } from '../token-usage/tables.js';

// Row types as stored: timestamps are ISO-8601 text, booleans 0/1 integers, JSON is text.

/** The whole database as Kysely sees it: each domain declares its own tables in its `tables.ts`. */
export interface Database
  extends UserTables,
    SessionTables,
    WorkspaceTables,
    EventTables,
    AuditTables,
    SpaceTables,
    ProjectTables,
    LabelTables,
    TaskTables,
    PersonalTokenTables,
    WorkspaceTokenTables,
    AgentTables,
    CredentialTables,
    DelegationTables,
    TokenUsageTables,
    WebhookTables {}
