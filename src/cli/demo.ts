import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { workspaceAccess, type WorkspaceAccess } from '../authz/authorize.js';
import type { Principal } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import type { UserRow } from '../users/tables.js';
import { createLabel } from '../labels/labels.service.js';
import { createProject } from '../projects/projects.service.js';
import { createSpace } from '../spaces/spaces.service.js';
import { claimTask } from '../tasks/claim.service.js';
import { addLabel, assign, completeTask } from '../tasks/task-actions.service.js';
import type { Priority } from '../tasks/task-views.js';
import { createTask } from '../tasks/tasks.service.js';
import { createUser, findUserByEmail, toAuthUser } from '../users/users.service.js';
import { addMember } from '../workspaces/members.service.js';
import { createWorkspace } from '../workspaces/workspaces.service.js';

const DEMO_WORKSPACE = 'Demo workspace';
const DEFAULTS = { email: 'demo@taskgate.local', password: 'taskgate-demo' };
const TEAMMATES = [
  { who: 'ada', email: 'ada@demo.taskgate.local', name: 'Ada Lovelace', role: 'team_member' },
  { who: 'grace', email: 'grace@demo.taskgate.local', name: 'Grace Hopper', role: 'workspace_manager' },
] as const;
const LABELS = [
  { name: 'bug', color: '#d73a4a' },
  { name: 'feature', color: '#0e8a16' },
  { name: 'design', color: '#a855f7' },
  { name: 'docs', color: '#0075ca' },
] as const;

type Who = 'me' | 'ada' | 'grace';

interface DemoTask {
  title: string;
  project: 0 | 1;
  status?: string;
  priority?: Priority;
  dueInDays?: number;
  labels?: Array<(typeof LABELS)[number]['name']>;
  assignees?: Who[];
  /** Claimed by the demo user (moves it to in_progress), or completed with this note. */
  claim?: true;
  done?: string;
  description?: string;
}

const TASKS: DemoTask[] = [
  { title: 'Draft the new landing page copy', project: 0, priority: 'high', dueInDays: 3, labels: ['docs'], assignees: ['ada'] },
  { title: 'Hero illustration', project: 0, priority: 'medium', dueInDays: 7, labels: ['design'], assignees: ['grace'] },
  { title: 'Fix broken links in the footer', project: 0, priority: 'urgent', dueInDays: 1, labels: ['bug'], claim: true },
  {
    title: 'Set up redirects from old URLs',
    project: 0,
    status: 'blocked',
    priority: 'high',
    labels: ['feature'],
    assignees: ['me'],
    description: 'Waiting for the **DNS** change.',
  },
  { title: 'Cookie banner', project: 0, priority: 'low', labels: ['feature'] },
  { title: 'Lighthouse score above 90', project: 0, priority: 'medium', dueInDays: 14, assignees: ['ada', 'me'] },
  { title: 'Pricing page table', project: 0, priority: 'high', labels: ['design', 'feature'], done: 'Shipped with three plans.' },
  { title: 'Accessibility review', project: 0, priority: 'medium', dueInDays: 10, labels: ['bug'] },
  { title: 'Write the launch blog post', project: 0, dueInDays: 21, labels: ['docs'], assignees: ['grace'] },
  { title: 'Analytics events plan', project: 0, priority: 'low', done: 'Agreed with marketing.' },
  { title: 'Crash on login with an empty password', project: 1, priority: 'urgent', dueInDays: 2, labels: ['bug'], claim: true },
  { title: 'Dark mode', project: 1, priority: 'medium', labels: ['feature', 'design'], assignees: ['ada'] },
  { title: 'Push notification settings', project: 1, priority: 'high', dueInDays: 5, labels: ['feature'], assignees: ['me'] },
  { title: 'Offline mode for the task list', project: 1, priority: 'medium', labels: ['feature'] },
  { title: 'App Store screenshots', project: 1, status: 'blocked', priority: 'low', labels: ['design'], assignees: ['grace'] },
  { title: 'Upgrade the build toolchain', project: 1, priority: 'medium', done: 'Builds are 40% faster.' },
  { title: 'Onboarding walkthrough', project: 1, priority: 'high', dueInDays: 12, labels: ['design'], assignees: ['ada', 'grace'] },
  { title: 'Document the release process', project: 1, dueInDays: 30, labels: ['docs'] },
  { title: 'Flaky test in sync module', project: 1, priority: 'high', labels: ['bug'], assignees: ['me'] },
  { title: 'Beta feedback triage', project: 1, priority: 'medium', dueInDays: 4, assignees: ['grace', 'me'] },
];

async function demoUser(ctx: AppContext, email: string, password: string): Promise<{ user: UserRow; created: boolean }> {
  const existing = await findUserByEmail(ctx.db, email);
  if (existing) return { user: existing, created: false };
  return {
    user: await createUser(ctx.db, { email, password, name: 'Demo User' }, ctx.config.passwordHashCost, ctx.config.passwordMinLength),
    created: true,
  };
}

// Teammates exist to be assigned; nobody signs in as them, so their password is random and never shown.
async function teammate(ctx: AppContext, email: string, name: string): Promise<UserRow> {
  const existing = await findUserByEmail(ctx.db, email);
  return existing ?? createUser(ctx.db, { email, password: randomBytes(24).toString('base64url'), name }, ctx.config.passwordHashCost);
}

async function existingDemoWorkspace(ctx: AppContext, userId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('workspaces')
    .innerJoin('workspace_members', 'workspace_members.workspace_id', 'workspaces.id')
    .select('workspaces.id')
    .where('workspace_members.user_id', '=', userId)
    .where('workspace_members.role', '=', 'owner')
    .where('workspaces.name', '=', DEMO_WORKSPACE)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Fills the workspace through the same services the API uses, so events and rules apply as usual. */
async function fillWorkspace(ctx: AppContext, access: WorkspaceAccess, people: Record<Who, string>): Promise<void> {
  const space = await createSpace(ctx.db, access, { name: 'Product', description: 'Everything we ship' });
  const projects = [
    await createProject(ctx.db, access, { spaceId: space.id, name: 'Website relaunch', description: 'The new marketing site' }),
    await createProject(ctx.db, access, { spaceId: space.id, name: 'Mobile app', description: 'iOS and Android' }),
  ];
  const labels = new Map<string, string>();
  for (const label of LABELS) labels.set(label.name, (await createLabel(ctx.db, access, label)).id);
  const day = 86_400_000;
  for (const [index, demo] of TASKS.entries()) {
    const task = await createTask(ctx.db, access, {
      projectId: projects[demo.project]!.id,
      title: demo.title,
      description: demo.description,
      status: demo.status,
      priority: demo.priority,
      dueAt: demo.dueInDays === undefined ? null : new Date(Date.now() + demo.dueInDays * day).toISOString(),
      position: index + 1,
    });
    for (const name of demo.labels ?? []) await addLabel(ctx.db, access, task.id, labels.get(name) ?? '');
    for (const who of demo.assignees ?? []) await assign(ctx.db, access, task.id, { userId: people[who] });
    if (demo.claim || demo.done !== undefined) await claimTask(ctx.db, access, task.id);
    if (demo.done !== undefined) await completeTask(ctx.db, access, task.id, demo.done);
  }
}

function signInHelp(ctx: AppContext, email: string, password: string | null): string {
  const base = `http://localhost:${ctx.config.port}`;
  const secret = password ?? '<your password>';
  return [
    `The API is at ${base}/api/v1 (documentation at ${base}/docs). Sign in with:`,
    `  curl -s ${base}/api/v1/auth/login -H 'content-type: application/json' -d '{"email":"${email}","password":"${secret}"}'`,
    `  email:    ${email}`,
    `  password: ${password ?? '(the existing account keeps its own password)'}`,
  ].join('\n');
}

/** `taskgate demo [--email E --password P]`: a demo user and a workspace full of tasks, reused when run again. */
export async function demoCommand(ctx: AppContext, args: string[]): Promise<string> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, password: { type: 'string' } } });
  const email = values.email ?? DEFAULTS.email;
  const password = values.password ?? DEFAULTS.password;

  const { user, created } = await demoUser(ctx, email, password);
  const shownPassword = created ? password : null;
  const existing = await existingDemoWorkspace(ctx, user.id);
  if (existing) return `The demo workspace already exists (${existing}).\n${signInHelp(ctx, user.email, shownPassword)}`;

  const workspace = await createWorkspace(ctx.db, user.id, DEMO_WORKSPACE, ctx.config.defaultPlan);
  // The demo acts as its user would from a signed-in session, through the one authorisation module.
  const principal: Principal = {
    kind: 'session',
    user: toAuthUser(user),
    sessionId: 'cli-demo',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
  };
  const access = await workspaceAccess(ctx.db, principal, workspace.id);
  const people: Record<Who, string> = { me: user.id, ada: '', grace: '' };
  for (const mate of TEAMMATES) {
    const row = await teammate(ctx, mate.email, mate.name);
    await addMember(ctx.db, access, row.email, mate.role);
    people[mate.who] = row.id;
  }
  await fillWorkspace(ctx, access, people);
  return [
    `Created "${DEMO_WORKSPACE}" (${workspace.id}): 1 space, 2 projects, ${LABELS.length} labels, ${TASKS.length} tasks.`,
    created ? `Created the demo user ${user.email}.` : `Reused the existing user ${user.email}.`,
    signInHelp(ctx, user.email, shownPassword),
  ].join('\n');
}
