import { Type } from 'typebox';
import { IdOf, Named, Nullable, Pagination, StrictObject, Text, Timestamp } from '../http/schemas.js';
import { ActorSchema, StringEnum } from '../http/common-schemas.js';
import { EVENT_TYPE_NAMES, PING_EVENT, RESOURCE_TYPES } from './event-types.js';

/** Every type the event history holds: the catalogue less `ping`, which is only ever sent to a webhook. */
const RECORDED_EVENT_TYPES = EVENT_TYPE_NAMES.filter((name) => name !== PING_EVENT);

const EventData = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'The resource as it is after the change (as it was, for a deletion): a Task for task.*, a Project for project.*, ' +
      'a Space for space.*, a Label for label.*, a Member for member.*, a Workspace for workspace.* (with `role` null), ' +
      'an AccessToken for access_token.*, an Agent for agent.*, a Webhook for webhook.*. Some types add fields: ' +
      '`changedFields` (task.updated, task.completed by an edit), `assignee` (task.assigned, task.unassigned), `label` ' +
      '(task.labeled, task.unlabeled), `previousRole` (member.role_changed). A change of the task statuses records ' +
      'workspace.updated with `{ id, taskStatuses }`.',
  },
);

export const EventSchema = Named(
  'Event',
  Type.Object({
    id: Type.String({ description: 'Also the `webhook-id` of the deliveries that report it' }),
    type: StringEnum(RECORDED_EVENT_TYPES, { description: 'What happened, as `<resourceType>.<action>`' }),
    actor: ActorSchema,
    resourceType: StringEnum(RESOURCE_TYPES),
    resourceId: Type.String(),
    projectId: Nullable(Type.String({ description: 'The project of a task or project event; null for the others' })),
    data: EventData,
    createdAt: Timestamp,
  }),
);

export const EventListQuery = StrictObject({
  ...Pagination,
  type: Type.Optional(Text({ maxLength: 100, description: 'Only events of this exact type, such as `task.created`' })),
});

export const EventStreamQuery = StrictObject({
  after: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 512,
      description:
        'Start after this point: an SSE `id` this stream sent, or the `id` of an event (as `GET …/events` lists them). ' +
        'The `Last-Event-ID` header, when sent, wins. Without either the stream starts with the next event recorded.',
    }),
  ),
  projectId: Type.Optional(IdOf('Only the events of this project')),
});

export const EventStreamHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({ maxLength: 512, description: 'Resume after this SSE `id` (browsers send it when they reconnect)' }),
  ),
});

export const EventStreamBody = Type.String({ description: 'Server-Sent Events' });
