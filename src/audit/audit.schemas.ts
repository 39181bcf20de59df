import { Type } from 'typebox';
import { Named, Nullable, Timestamp } from '../http/schemas.js';
import { ActorSchema } from '../http/common-schemas.js';

export const AuditEntrySchema = Named(
  'AuditEntry',
  Type.Object({
    id: Type.String(),
    workspaceId: Nullable(Type.String({ description: 'The workspace of a workspace credential or webhook; null for personal tokens' })),
    actor: ActorSchema,
    action: Type.String({
      description:
        'What happened: token.created, token.updated, token.rotated, token.revoked, token.revoked_all, token.use_refused; ' +
        'access_token.created, .updated, .enabled, .disabled, .deleted, .use_refused; agent.created, .updated, .deleted, ' +
        '.token_issued, .token_revoked, .use_refused; webhook.created, .updated, .deleted, .secret_rotated; ' +
        'session.created (a sign-in: `details.deviceLabel`, `details.ip`), session.revoked (one per ended session: ' +
        '`details.how` is logout, revoked or revoked_others). New actions may appear.',
    }),
    targetType: Type.String({ description: 'What was acted on: personal_token, user, access_token, agent, webhook or session' }),
    targetId: Type.String(),
    ip: Nullable(Type.String({ description: 'Where the request came from' })),
    details: Type.Object(
      {},
      {
        additionalProperties: true,
        description: 'Facts that depend on the action, such as the token name, the fields changed, a grace period or why a use was refused',
      },
    ),
    createdAt: Timestamp,
  }),
);
