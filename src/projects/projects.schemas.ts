import { Type } from 'typebox';
import { IdOf, Named, Nullable, Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, Description, OptionalDescription, ResourceName, StrictPatch } from '../http/common-schemas.js';

export const ProjectSchema = Named(
  'Project',
  Type.Object(
    {
      id: Type.String(),
      workspaceId: Type.String(),
      spaceId: Type.String(),
      name: Type.String(),
      description: Type.String({ description: 'Markdown text; empty when none was given' }),
      archived: Type.Boolean({ description: 'An archived project refuses changes to its tasks (409 PROJECT_ARCHIVED)' }),
      archivedAt: Nullable(Timestamp),
      createdBy: ActorSchema,
      createdAt: Timestamp,
      updatedAt: Timestamp,
    },
    { description: 'A project in a space; it holds tasks' },
  ),
);

export const ProjectListQuery = StrictObject({
  ...Pagination,
  workspaceId: IdOf('The workspace whose projects to list (required)'),
  spaceId: Type.Optional(IdOf('Only the projects of this space')),
  includeArchived: Type.Optional(Type.Boolean({ default: false, description: 'Archived projects are left out unless true' })),
});

export const NewProjectBody = Named(
  'NewProject',
  StrictObject({
    spaceId: IdOf('The space to create it in; it decides the workspace'),
    name: ResourceName,
    description: OptionalDescription,
  }),
);

export const ProjectPatchBody = Named(
  'ProjectChanges',
  StrictPatch({
    name: Type.Optional(ResourceName),
    description: Type.Optional(Description),
    archived: Type.Optional(Type.Boolean({ description: 'Archive (true) or restore (false); an archived project refuses task changes' })),
    spaceId: Type.Optional(IdOf('Move the project to another space of the same workspace')),
  }),
);
