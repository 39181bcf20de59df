import type { Generated } from 'kysely';
import type { Actor } from '../authz/principal.js';
import type { ResourceType } from './event-types.js';

export interface EventRow {
  seq: Generated<number>;
  id: string;
  workspace_id: string;
  type: string;
  actor_type: Actor['type'];
  actor_id: string;
  resource_type: ResourceType;
  resource_id: string;
  project_id: string | null;
  data: string;
  created_at: string;
}

/** The event log every change is recorded in (created by migration 0001_foundation). */
export interface EventTables {
  events: EventRow;
}
