export { Taskgate, type TaskgateOptions } from './client.js';
export type { CallOptions } from './core.js';
export { TaskgateError, type ErrorBody, type ErrorCode } from './errors.js';
export { Paginated, type Page } from './paging.js';
export type { AssigneeRef, IfMatchOptions } from './resources/work.js';
export type { RequestEvent, RetryOptions } from './transport.js';
export { verifyWebhook, WebhookVerificationError, type VerifyOptions, type WebhookHeaders } from './webhooks.js';
export type * from './generated/names.js';
export type { components, operations, paths } from './generated/openapi.js';
