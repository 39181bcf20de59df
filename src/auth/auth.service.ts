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
  await throttle.assertAllowed(key, device.ip);
  const user = await findUserByEmail(ctx.db, key);
  decoyHash ??= hashPassword('decoy-password', ctx.config.passwordHashCost);
  const valid = await verifyPassword(password, user?.password_hash ?? (await decoyHash));
  if (!user || !valid) {
    await throttle.recordFailure(key, device.ip);
    throw new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect');
  }
  if (user.blocked_at !== null) throw new AppError('USER_BLOCKED', 'This account is blocked');
  await throttle.recordSuccess(key);
  const { token, session } = await createSession(ctx.db, user.id, device, ctx.config.sessionTtlMs);
  return { user, token, session };
}
