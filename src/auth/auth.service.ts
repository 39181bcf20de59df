import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { hashPassword, verifyPassword } from '../lib/secrets.js';
import { createSession, type DeviceInfo } from '../sessions/sessions.service.js';
import { findUserByEmail, normaliseEmail } from '../users/users.service.js';
import type { LoginThrottle } from './login-throttle.js';

// Verifying against a real hash when the account is unknown keeps both answers equally slow.
let decoyHash: Promise<string> | null = null;

export async function login(ctx: AppContext, throttle: LoginThrottle, email: string, password: string, device: DeviceInfo) {
  const key = normaliseEmail(email);
  const attempt = await throttle.spendAttempt(key, device.ip);
  const user = await findUserByEmail(ctx.db, key);
  decoyHash ??= hashPassword('decoy-password', ctx.config.passwordHashCost);
  const valid = await verifyPassword(password, user?.password_hash ?? (await decoyHash));
  // A blocked account answers the same whatever password was sent: the answer never confirms one.
  if (user && user.blocked_at !== null) throw new AppError('USER_BLOCKED', 'This account is blocked');
  if (!user || !valid) throw new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect');
  await throttle.succeeded(attempt);
  const { token, session } = await createSession(ctx.db, user.id, device, ctx.config.sessionTtlMs);
  return { user, token, session };
}
