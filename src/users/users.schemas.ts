import { Type } from 'typebox';
import { Timestamp } from '../http/schemas.js';

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  isAdmin: Type.Boolean(),
  blocked: Type.Boolean(),
  createdAt: Timestamp,
});
