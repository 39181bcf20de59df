import type { ActorColumns } from '../db/actor-columns.js';

export interface LabelRow extends ActorColumns {
  id: string;
  workspace_id: string;
  name: string;
  color: string;
  created_at: string;
  updated_at: string;
}

/** The labels domain's table (created by migration 0002_tasks; `task_labels` is the tasks domain's). */
export interface LabelTables {
  labels: LabelRow;
}
