import { Type } from 'typebox';
import { ROLES } from '../authz/roles.js';
import { PLANS } from '../config/config.js';
import { Nullable, Text, Timestamp } from '../http/schemas.js';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const PlanSchema = Type.Union(PLANS.map((p) => Type.Literal(p)));
export const WorkspaceName = Text({ minLength: 1, maxLength: 100, mustHaveText: true });

export const WorkspaceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  plan: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  role: Nullable(Type.String()),
});

export const MemberSchema = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  joinedAt: Timestamp,
});
