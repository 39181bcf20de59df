import { Type } from 'typebox';
import * as z from 'zod';
import { EventListQuery } from '../events/events.schemas.js';
import { IdOf, Pagination, StrictObject } from '../http/schemas.js';
import { ProjectListQuery } from '../projects/projects.schemas.js';
import { CompleteBody, NewTaskBody, TaskListQuery, TaskPatchBody } from '../tasks/tasks.schemas.js';
import { fieldsOf, fromRest, zodOf } from './rest-schemas.js';

// The tools' arguments, built from the REST routes' own bodies and queries (see rest-schemas.ts).

/** The optional `workspaceId` of the tools that act on a whole workspace (REST requires it; a tool defaults it). */
const WorkspaceArg = zodOf(
  IdOf('The workspace (wsp_…). Leave it out for an agent or workspace token (its own workspace) or when the token reaches only one'),
).optional();

export const TaskIdArg = zodOf(IdOf('The task (tsk_…)'));

/** A list of ids, as several single REST calls would take them one by one. */
export function IdsArg(description: string) {
  return z.array(zodOf(IdOf(description))).max(50);
}

export const TaskListArgs = fromRest(TaskListQuery).extend({ workspaceId: WorkspaceArg });
export const NewTaskArgs = fromRest(NewTaskBody);
export const TaskChangeFields = fieldsOf(TaskPatchBody);
export const CompletionFields = fieldsOf(CompleteBody);
export const ProjectListArgs = fromRest(ProjectListQuery).extend({ workspaceId: WorkspaceArg });
export const AgentListArgs = fromRest(StrictObject(Pagination)).extend({ workspaceId: WorkspaceArg });
export const EventListArgs = fromRest(EventListQuery).extend({ workspaceId: WorkspaceArg });
/** `version`, as If-Match carries it on `PATCH /tasks/{id}`. */
export const VersionArg = zodOf(
  Type.Integer({
    minimum: 1,
    maximum: 999_999_999,
    description: 'The version you read; the change is refused if the task has moved on since',
  }),
).optional();
