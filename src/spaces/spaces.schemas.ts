import { Type } from 'typebox';
import { Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, Description, OptionalDescription, ResourceName, StrictPatch } from '../tasks/common.schemas.js';

export const SpaceSchema = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdBy: ActorSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const NewSpaceBody = StrictObject({ name: ResourceName, description: OptionalDescription });
export const SpacePatchBody = StrictPatch({ name: Type.Optional(ResourceName), description: Type.Optional(Description) });
export const SpaceListQuery = StrictObject({ ...Pagination });
