import type { ActorColumns } from '../db/actor-columns.js';

export interface ProjectRow extends ActorColumns {
  id: string;
  workspace_id: string;
  space_id: string;
  name: string;
  description: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The projects domain's table (created by migration 0002_tasks). */
export interface ProjectTables {
  projects: ProjectRow;
}
