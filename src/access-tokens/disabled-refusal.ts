import type { CredentialDisabledReason } from '../agents/tables.js';
import { AppError } from '../errors/app-error.js';

const WHY: Record<CredentialDisabledReason, string> = {
  manual: 'was disabled by an administrator',
  creator_removed: 'was disabled because the member who created it left the workspace',
  creator_blocked: 'was disabled because the member who created it was blocked',
};

/** The 401 a disabled workspace credential gets, saying why and how it can work again. */
export function disabledRefusal(what: string, reason: CredentialDisabledReason | null): AppError {
  const why = reason ?? 'manual';
  return new AppError('TOKEN_DISABLED', `${what} ${WHY[why]}; a workspace administrator can re-enable it`, { reason: why });
}
