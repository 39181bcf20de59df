import { Type } from 'typebox';
import { Named, Nullable, StrictObject, Text } from '../http/schemas.js';
import { PASSWORD_MAX_LENGTH } from '../users/password-policy.js';
import { UserSchema } from '../users/users.schemas.js';

const Email = Type.String({ format: 'email', maxLength: 254 });
// The policy itself (length, common passwords: users/password-policy.ts) answers 400 WEAK_PASSWORD.
const Password = Type.String({
  minLength: 8,
  maxLength: PASSWORD_MAX_LENGTH,
  description: 'At least 12 characters by default (TASKGATE_PASSWORD_MIN_LENGTH), not a common password; no composition rules',
});

export const NewUser = Named(
  'NewUser',
  StrictObject({
    email: { ...Email, description: 'Compared without regard to case; one account per address' },
    password: Password,
    name: Text({ minLength: 1, maxLength: 100, mustHaveText: true }),
  }),
);

export const LoginCredentials = Named(
  'LoginCredentials',
  StrictObject({
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 256 }),
    deviceName: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 100,
        mustHaveText: true,
        description: 'How the session is listed (e.g. "taskgate CLI on build-01"); default: the browser and OS of the User-Agent',
      }),
    ),
  }),
);

export const SignedIn = Named(
  'SignedIn',
  Type.Object({
    user: UserSchema,
    sessionToken: Type.String({
      description: 'The session token (tgs_), also set as the tg_session cookie: send it as a Bearer token from a CLI',
    }),
  }),
);

export const SessionState = Named(
  'SessionState',
  Type.Object({
    user: Nullable(UserSchema, { description: 'The signed-in user; null when the request carries no working session' }),
  }),
);
