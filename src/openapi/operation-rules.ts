import type { FastifyInstance, RouteOptions } from 'fastify';
import { TAGS } from './document.js';

const OPERATION_ID = /^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/;
const TAG_NAMES = new Set<string>(TAGS.map((tag) => tag.name));

/** What keeps a documented route from being generated into a good client method; empty when nothing. */
function operationProblems(schema: RouteOptions['schema'] & Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { operationId, summary, description, tags } = schema ?? {};
  if (typeof operationId !== 'string' || !OPERATION_ID.test(operationId)) problems.push('an operationId such as "tasks.list"');
  if (typeof summary !== 'string' || summary.trim() === '') problems.push('a summary');
  if (typeof description !== 'string' || description.trim() === '') problems.push('a description');
  if (!Array.isArray(tags) || tags.length !== 1 || !TAG_NAMES.has(tags[0] as string)) {
    problems.push(`one tag of ${[...TAG_NAMES].join(', ')}`);
  }
  return problems;
}

/**
 * Every route the OpenAPI document shows must say what the generated client calls it, and what it
 * does: the app refuses to start otherwise, as it does for a route without `config.auth`.
 */
export function registerOperationRules(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs') || route.schema?.hide) return;
    const problems = operationProblems(route.schema as RouteOptions['schema'] & Record<string, unknown>);
    if (problems.length > 0) throw new Error(`Route ${String(route.method)} ${route.url} must declare ${problems.join(', ')}`);
  });
}
