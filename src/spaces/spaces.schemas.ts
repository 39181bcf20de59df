import { Type } from 'typebox';
import { Named, Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, Description, OptionalDescription, ResourceName, StrictPatch } from '../http/common-schemas.js';

export const SpaceSchema = Named(
  'Space',
  Type.Object(
    {
      id: Type.String(),
      workspaceId: Type.String(),
      name: Type.String(),
      description: Type.String({ description: 'Markdown text; empty when none was given' }),
      createdBy: ActorSchema,
      createdAt: Timestamp,
      updatedAt: Timestamp,
    },
    { description: 'A group of projects in a workspace' },
  ),
);

export const NewSpaceBody = Named('NewSpace', StrictObject({ name: ResourceName, description: OptionalDescription }));
export const SpacePatchBody = Named(
  'SpaceChanges',
  StrictPatch({ name: Type.Optional(ResourceName), description: Type.Optional(Description) }),
);
export const SpaceListQuery = StrictObject({ ...Pagination });
