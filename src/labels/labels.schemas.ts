import { Type } from 'typebox';
import { Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, NonBlankText, StrictPatch } from '../tasks/common.schemas.js';

const LabelName = NonBlankText({ maxLength: 60 });
const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'A hex colour, e.g. #d73a4a' });

export const LabelSchema = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  name: Type.String(),
  color: Type.String(),
  createdBy: ActorSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const NewLabelBody = StrictObject({ name: LabelName, color: Type.Optional(Color) });
export const LabelPatchBody = StrictPatch({ name: Type.Optional(LabelName), color: Type.Optional(Color) });
export const LabelListQuery = StrictObject({ ...Pagination });
