export { webhookRoutes, webhooksOf } from './plugin.ts';
export type { WebhookOptions } from './receiver-context.ts';
export { PullCoalescer, type RequestPull } from './pull-coalescer.ts';
export { WEBHOOK_ERRORS, type WebhookErrorCode } from './errors.ts';
