import type { ActorColumns } from '../db/actor-columns.js';

export interface SpaceRow extends ActorColumns {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

/** The spaces domain's table (created by migration 0002_tasks). */
export interface SpaceTables {
  spaces: SpaceRow;
}
