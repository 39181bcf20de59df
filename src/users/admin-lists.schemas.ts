import { Type } from 'typebox';
import { Named, Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { PLANS } from '../config/config.js';
import { StringEnum } from '../http/common-schemas.js';

const SearchText = Type.Optional(
  Type.String({ minLength: 1, maxLength: 200, description: 'Keeps only rows that contain this text, ignoring case (see the route)' }),
);

export const AdminUserQuery = StrictObject({
  q: SearchText,
  blocked: Type.Optional(Type.Boolean({ description: 'true: only blocked users; false: only users who are not blocked' })),
  ...Pagination,
});

export const AdminWorkspaceQuery = StrictObject({
  q: SearchText,
  ...Pagination,
});

export const AdminWorkspaceSchema = Named(
  'AdminWorkspace',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    plan: StringEnum(PLANS, { description: 'free, pro or team' }),
    memberCount: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
  }),
);
