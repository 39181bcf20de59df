import type { ActorColumns } from '../db/actor-columns.js';
// Row types of the task domain as stored: timestamps ISO-8601 text, booleans 0/1, JSON text.

export interface TaskRow extends ActorColumns {
  id: string;
  /** Denormalised from the project so authorisation and workspace-wide lists need no join. */
  workspace_id: string;
  project_id: string;
  title: string;
  description: string;
  status: string;
  /** 0 none … 4 urgent (see PRIORITIES). */
  priority: number;
  due_at: string | null;
  position: number;
  /** Bumped by every change; the ETag and the If-Match guard. */
  version: number;
  claimed_by_type: string | null;
  claimed_by_id: string | null;
  claimed_at: string | null;
  completed_at: string | null;
  result_note: string | null;
  updated_by_type: string;
  updated_by_id: string;
  created_at: string;
  updated_at: string;
}

export interface TaskAssigneeRow {
  task_id: string;
  /** 'user' or 'agent': assignees are polymorphic, hence no foreign key on assignee_id. */
  assignee_type: string;
  assignee_id: string;
  created_at: string;
}

export interface TaskLabelRow {
  task_id: string;
  label_id: string;
  created_at: string;
}

/** A workspace's own status list; a workspace without rows uses DEFAULT_STATUSES. */
interface TaskStatusRow {
  workspace_id: string;
  key: string;
  name: string;
  position: number;
  created_at: string;
}

/** Tables owned by the tasks domain (created by migration 0002_tasks, with spaces, projects and labels). */
export interface TaskTables {
  tasks: TaskRow;
  task_assignees: TaskAssigneeRow;
  task_labels: TaskLabelRow;
  task_statuses: TaskStatusRow;
}
