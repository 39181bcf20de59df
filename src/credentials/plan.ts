import type { Plan } from '../config/config.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/** API tokens of every kind are a paid feature: the one place that says which plans include them. */
export function planAllowsTokens(plan: Plan | string): boolean {
  return plan !== 'free';
}

/** The 403 a token gets in a workspace whose plan leaves out tokens. */
export function planRefusal(plan: Plan | string): AppError {
  return new AppError('PLAN_UPGRADE_REQUIRED', 'API tokens need a pro or team plan; this workspace is on the free plan', {
    plan,
    refusedBy: 'plan',
  });
}

/** Workspace and agent tokens are issued, and every token acts, only in a workspace whose plan includes tokens. */
export function requireTokenPlan(plan: Plan | string): void {
  if (!planAllowsTokens(plan)) throw planRefusal(plan);
}

/**
 * A personal token acts in its owner's workspaces, so the owner needs at least one whose plan includes
 * tokens. One who belongs to no workspace at all is told to create one (409), not that theirs are free.
 */
export async function requireOwnerTokenPlan(db: Db, userId: string): Promise<void> {
  const memberships = await db
    .selectFrom('workspace_members')
    .innerJoin('workspaces', 'workspaces.id', 'workspace_members.workspace_id')
    .select('workspaces.plan')
    .distinct()
    .where('workspace_members.user_id', '=', userId)
    .execute();
  if (memberships.length === 0) {
    const message = 'Create a workspace first: personal access tokens act in your workspaces, and you belong to none';
    throw new AppError('WORKSPACE_REQUIRED', message);
  }
  if (!memberships.some((membership) => planAllowsTokens(membership.plan))) {
    throw new AppError('PLAN_UPGRADE_REQUIRED', 'Personal access tokens need a pro or team workspace; all of yours are on the free plan', {
      refusedBy: 'plan',
    });
  }
}
