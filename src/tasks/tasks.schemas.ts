import { Type } from 'typebox';
import { IdOf, Named, Nullable, Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, Description, NonBlankText, PlainText, StrictPatch, StringEnum } from '../http/common-schemas.js';
import { TASK_SORT_KEYS } from './task-list.service.js';
import { PRIORITIES } from './task-views.js';

const Id = IdOf();
const STATUS_KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}$';
export const StatusKey = Type.String({ pattern: STATUS_KEY_PATTERN, description: 'A lower-case key such as in_progress' });
const Title = NonBlankText({ maxLength: 500 });
const PrioritySchema = Type.Union(
  PRIORITIES.map((p) => Type.Literal(p)),
  { description: 'none, low, medium, high or urgent' },
);
const POSITION_RANGE = { minimum: -1e12, maximum: 1e12 };
const Position = Type.Number({ ...POSITION_RANGE, description: 'Tasks sort by position within a project by default' });
const DueAt = Nullable(Type.String({ format: 'date-time', description: 'An RFC 3339 date-time, answered in UTC; null: no due date' }));

const AssigneeSchema = Named(
  'Assignee',
  Type.Object(
    {
      type: StringEnum(['user', 'agent']),
      id: Type.String({ description: 'The user or agent id' }),
      name: Type.String({ description: "The user's or agent's name" }),
    },
    { description: 'A workspace member or agent the task is assigned to' },
  ),
);

const TaskLabelSchema = Named(
  'TaskLabel',
  Type.Object(
    {
      id: Type.String(),
      name: Type.String(),
      color: Type.String({ description: 'A lower-case hex colour, e.g. #d73a4a' }),
    },
    { description: 'A label on a task' },
  ),
);

export const TaskSchema = Named(
  'Task',
  Type.Object({
    id: Type.String(),
    workspaceId: Type.String(),
    projectId: Type.String(),
    title: Type.String(),
    description: Type.String({ description: 'Markdown text; empty when none was given' }),
    status: Type.String({ description: "One of the workspace's status keys (GET /workspaces/{id}/task-statuses)" }),
    priority: StringEnum(PRIORITIES),
    dueAt: Nullable(Timestamp),
    position: Type.Number({ description: 'Tasks sort by position within a project by default' }),
    version: Type.Integer({
      description: 'Goes up by one with every change; also sent as the ETag: send it back in If-Match to guard an edit',
    }),
    assignees: Type.Array(AssigneeSchema, { description: 'In the order they were assigned' }),
    labels: Type.Array(TaskLabelSchema, { description: 'By name' }),
    claimedBy: Nullable(ActorSchema),
    claimedAt: Nullable(Timestamp),
    completedAt: Nullable(Timestamp),
    resultNote: Nullable(Type.String({ description: 'What was done (markdown), as given on completion' })),
    createdBy: ActorSchema,
    updatedBy: ActorSchema,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);

export const NewTaskBody = Named(
  'NewTask',
  StrictObject({
    projectId: IdOf('The project to create it in'),
    title: Title,
    description: Type.Optional(Description),
    status: Type.Optional(
      Type.String({ pattern: STATUS_KEY_PATTERN, description: "One of the workspace's status keys; its first status when left out" }),
    ),
    priority: Type.Optional(PrioritySchema),
    dueAt: Type.Optional(DueAt),
    position: Type.Optional(
      Type.Number({ ...POSITION_RANGE, description: 'Where it sorts in its project; after its last task when left out' }),
    ),
  }),
);

export const TaskPatchBody = Named(
  'TaskChanges',
  StrictPatch({
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    status: Type.Optional(
      Type.String({
        pattern: STATUS_KEY_PATTERN,
        description:
          "One of the workspace's status keys. Moving to done records task.completed; moving back to a status before " +
          'in_progress releases the claim',
      }),
    ),
    priority: Type.Optional(PrioritySchema),
    dueAt: Type.Optional(DueAt),
    position: Type.Optional(Position),
    projectId: Type.Optional(IdOf('Move the task to another project of the workspace')),
  }),
);

export const IfMatchHeaders = Type.Object({
  // At most 9 digits: a version is a 32-bit integer column, and a larger number would overflow it on PostgreSQL.
  'if-match': Type.Optional(
    Type.String({ pattern: '^\\s*(\\*|(W/)?"?\\d{1,9}"?)\\s*$', description: 'The version (or ETag) the edit is based on' }),
  ),
});

const StatusFilter = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,39}(,[a-z][a-z0-9_]{0,39}){0,29}$',
  description: 'One status, or several separated by commas',
});

// GET /tasks lists one project or one workspace: exactly one of the two (src/tasks/task-access.ts).
export const TaskListQuery = StrictObject({
  ...Pagination,
  projectId: Type.Optional(IdOf("List this project's tasks. Give exactly one of projectId and workspaceId (400 otherwise)")),
  workspaceId: Type.Optional(IdOf("List across the workspace's projects. Give exactly one of projectId and workspaceId (400 otherwise)")),
  status: Type.Optional(StatusFilter),
  assignee: Type.Optional(IdOf('A user or agent id, or "me"')),
  label: Type.Optional(IdOf('Only tasks carrying this label')),
  priority: Type.Optional(PrioritySchema),
  q: Type.Optional(PlainText({ minLength: 1, maxLength: 200, description: 'Case-insensitive text in the title or description' })),
  dueBefore: Type.Optional(Type.String({ format: 'date-time', description: 'Due strictly before this time' })),
  dueAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Due strictly after this time' })),
  sort: Type.Optional(
    Type.Union(
      TASK_SORT_KEYS.map((k) => Type.Literal(k)),
      { description: 'A field, descending with a leading "-"; default position' },
    ),
  ),
});

/** Assign a workspace member (`userId`) or an agent of the workspace (`agentId`). */
export const AssigneeBody = Named(
  'NewAssignee',
  Type.Union([StrictObject({ userId: IdOf('A member of the workspace') }), StrictObject({ agentId: IdOf('An agent of the workspace') })], {
    description: 'Either `userId` or `agentId`',
  }),
);
export const AssigneeParams = StrictObject({ id: Id, assigneeId: IdOf('The assigned user or agent id') });
export const LabelBody = Named('NewTaskLabel', StrictObject({ labelId: IdOf("A label of the task's workspace") }));
export const TaskLabelParams = StrictObject({ id: Id, labelId: Id });
export const CompleteBody = Named(
  'TaskCompletion',
  StrictObject(
    {
      resultNote: Type.Optional(PlainText({ maxLength: 20_000, description: 'What was done (markdown)' })),
    },
    { description: 'The body may be left out' },
  ),
);
export const ClaimBody = Named('TaskClaim', StrictObject({}, { description: 'No fields: the body may be left out' }));
