import { Type } from 'typebox';
import { Nullable, Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, Description, NonBlankText, PlainText, ResourceId, StrictPatch } from './common.schemas.js';
import { TASK_SORT_KEYS } from './task-list.service.js';
import { PRIORITIES } from './task-views.js';

const Id = ResourceId();
export const StatusKey = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'A lower-case key such as in_progress' });
const Title = NonBlankText({ maxLength: 500 });
const PrioritySchema = Type.Union(PRIORITIES.map((p) => Type.Literal(p)));
const Position = Type.Number({ minimum: -1e12, maximum: 1e12, description: 'Tasks sort by position within a project by default' });
const DueAt = Nullable(Type.String({ format: 'date-time' }));

export const TaskSchema = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  projectId: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  dueAt: Nullable(Timestamp),
  position: Type.Number(),
  version: Type.Integer({ description: 'Also sent as the ETag; send it back in If-Match to guard an edit' }),
  assignees: Type.Array(Type.Object({ type: Type.Union([Type.Literal('user'), Type.Literal('agent')]), id: Type.String(), name: Type.String() })),
  labels: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), color: Type.String() })),
  claimedBy: Nullable(ActorSchema),
  claimedAt: Nullable(Timestamp),
  completedAt: Nullable(Timestamp),
  resultNote: Nullable(Type.String()),
  createdBy: ActorSchema,
  updatedBy: ActorSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const NewTaskBody = StrictObject({
  projectId: Id,
  title: Title,
  description: Type.Optional(Description),
  status: Type.Optional(StatusKey),
  priority: Type.Optional(PrioritySchema),
  dueAt: Type.Optional(DueAt),
  position: Type.Optional(Position),
});

export const TaskPatchBody = StrictPatch({
  title: Type.Optional(Title),
  description: Type.Optional(Description),
  status: Type.Optional(StatusKey),
  priority: Type.Optional(PrioritySchema),
  dueAt: Type.Optional(DueAt),
  position: Type.Optional(Position),
  projectId: Type.Optional(ResourceId('Move the task to another project of the workspace')),
});

export const IfMatchHeaders = Type.Object({
  // At most 9 digits: a version is a 32-bit integer column, and a larger number would overflow it on PostgreSQL.
  'if-match': Type.Optional(Type.String({ pattern: '^\\s*(\\*|(W/)?"?\\d{1,9}"?)\\s*$', description: 'The version (or ETag) the edit is based on' })),
});

const StatusFilter = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}(,[a-z][a-z0-9_]{0,39}){0,29}$', description: 'One status, or several separated by commas' });

export const TaskListQuery = StrictObject({
  ...Pagination,
  projectId: Type.Optional(Id),
  workspaceId: Type.Optional(ResourceId('List across the workspace instead of one project')),
  status: Type.Optional(StatusFilter),
  assignee: Type.Optional(ResourceId('A user or agent id, or "me"')),
  label: Type.Optional(Id),
  priority: Type.Optional(PrioritySchema),
  q: Type.Optional(PlainText({ minLength: 1, maxLength: 200, description: 'Case-insensitive text in the title or description' })),
  dueBefore: Type.Optional(Type.String({ format: 'date-time', description: 'Due strictly before this time' })),
  dueAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Due strictly after this time' })),
  sort: Type.Optional(Type.Union(TASK_SORT_KEYS.map((k) => Type.Literal(k)), { description: 'A field, descending with a leading "-"; default position' })),
});

/** Assign a workspace member (`userId`) or an agent of the workspace (`agentId`). */
export const AssigneeBody = Type.Union([StrictObject({ userId: Id }), StrictObject({ agentId: Id })]);
export const AssigneeParams = StrictObject({ id: Id, assigneeId: Id });
export const LabelBody = StrictObject({ labelId: Id });
export const TaskLabelParams = StrictObject({ id: Id, labelId: Id });
export const CompleteBody = StrictObject({ resultNote: Type.Optional(PlainText({ maxLength: 20_000, description: 'What was done (markdown)' })) });
export const EmptyBody = StrictObject({});
