import { Type } from 'typebox';
import { Nullable, Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, Description, OptionalDescription, ResourceId, ResourceName, StrictPatch } from '../tasks/common.schemas.js';

const Id = ResourceId();

export const ProjectSchema = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  spaceId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  archived: Type.Boolean(),
  archivedAt: Nullable(Timestamp),
  createdBy: ActorSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ProjectListQuery = StrictObject({
  ...Pagination,
  workspaceId: Id,
  spaceId: Type.Optional(Id),
  includeArchived: Type.Optional(Type.Boolean({ default: false, description: 'Archived projects are left out unless true' })),
});

export const NewProjectBody = StrictObject({ spaceId: Id, name: ResourceName, description: OptionalDescription });

export const ProjectPatchBody = StrictPatch({
  name: Type.Optional(ResourceName),
  description: Type.Optional(Description),
  archived: Type.Optional(Type.Boolean({ description: 'Archive (true) or restore (false); an archived project refuses task changes' })),
  spaceId: Type.Optional(Id),
});
