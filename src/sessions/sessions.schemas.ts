import { Type } from 'typebox';
import { Named, Nullable, Timestamp } from '../http/schemas.js';

export const SessionSchema = Named(
  'Session',
  Type.Object({
    id: Type.String(),
    deviceLabel: Type.String({ description: 'A readable guess from the user agent at sign-in, such as "Firefox on Linux"' }),
    userAgent: Nullable(Type.String({ description: 'As sent at sign-in (first 512 characters)' })),
    ip: Nullable(Type.String({ description: 'The address it was last seen from' })),
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
    expiresAt: Timestamp,
    current: Type.Boolean({ description: 'This is the session making the request' }),
  }),
);

export const EndedSessions = Named(
  'EndedSessions',
  Type.Object({
    ended: Type.Integer({ minimum: 0, description: 'How many sessions were ended' }),
  }),
);
