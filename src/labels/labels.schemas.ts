import { Type } from 'typebox';
import { Named, Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, NonBlankText, StrictPatch } from '../http/common-schemas.js';

const LabelName = NonBlankText({ maxLength: 60, description: 'Unique in the workspace, ignoring case' });
const COLOR_PATTERN = '^#[0-9a-fA-F]{6}$';
const Color = Type.String({ pattern: COLOR_PATTERN, description: 'A hex colour, e.g. #d73a4a' });

export const LabelSchema = Named(
  'Label',
  Type.Object(
    {
      id: Type.String(),
      workspaceId: Type.String(),
      name: Type.String(),
      color: Type.String({ description: 'A lower-case hex colour, e.g. #d73a4a' }),
      createdBy: ActorSchema,
      createdAt: Timestamp,
      updatedAt: Timestamp,
    },
    { description: 'A coloured label that tasks of the workspace may carry' },
  ),
);

export const NewLabelBody = Named(
  'NewLabel',
  StrictObject({
    name: LabelName,
    color: Type.Optional(Type.String({ pattern: COLOR_PATTERN, description: 'A hex colour, e.g. #d73a4a; grey (#6b7280) when left out' })),
  }),
);
export const LabelPatchBody = Named('LabelChanges', StrictPatch({ name: Type.Optional(LabelName), color: Type.Optional(Color) }));
export const LabelListQuery = StrictObject({ ...Pagination });
