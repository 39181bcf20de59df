import type { AppContext } from '../context.js';
import { countUsers, createUser } from './users.service.js';

/**
 * On an empty database: create the first instance admin from TASKGATE_ADMIN_EMAIL/PASSWORD when given,
 * otherwise say how to. Returns the line to print, or null once there are users.
 */
export async function bootstrapFirstAdmin(ctx: AppContext): Promise<string | null> {
  if ((await countUsers(ctx.db)) > 0) return null;
  const { adminEmail, adminPassword } = ctx.config;
  if (adminEmail && adminPassword) {
    await createUser(
      ctx.db,
      { email: adminEmail, password: adminPassword, name: 'Admin', isAdmin: true },
      ctx.config.passwordHashCost,
      ctx.config.passwordMinLength,
    );
    return `Created the first instance admin ${adminEmail}`;
  }
  return (
    'No users yet. Create the first instance admin with: ' +
    'npx taskgate admin create --email you@example.com --password "a long password"'
  );
}
