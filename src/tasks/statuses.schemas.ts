import { Type } from 'typebox';
import { ListOf, Named, StrictObject } from '../http/schemas.js';
import { NonBlankText } from '../http/common-schemas.js';
import { StatusKey } from './tasks.schemas.js';

const TaskStatusSchema = Named(
  'TaskStatus',
  Type.Object({
    key: Type.String({ description: 'What tasks store in `status`, e.g. in_progress' }),
    name: Type.String({ description: 'The name shown to people, e.g. In progress' }),
  }),
);

export const TaskStatusList = ListOf(TaskStatusSchema);

export const TaskStatusListBody = Named(
  'TaskStatusReplacement',
  StrictObject({
    statuses: Type.Array(StrictObject({ key: StatusKey, name: NonBlankText({ maxLength: 60 }) }), {
      minItems: 2,
      maxItems: 30,
      description: 'In order: new tasks start in the first. Keys are unique, and in_progress and done must stay',
    }),
  }),
);
