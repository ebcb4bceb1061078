export { webhookRoutes } from './plugin.ts';
export type { WebhookOptions } from './receiver-context.ts';
export { ChannelSupervisor, type SupervisorOptions, type SweepResult } from './supervisor.ts';
export type { PassOutcome } from './channel-pass.ts';
export { PullCoalescer, type RequestPull } from './pull-coalescer.ts';
export { WEBHOOK_ERRORS, type WebhookErrorCode } from './errors.ts';
export { WebhookDispatcher, WEBHOOK_QUEUE, type DispatcherOptions } from './outbound/dispatcher.ts';
export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  replayWebhooks,
  rotateWebhookSecret,
  testWebhookEndpoint,
  updateWebhookEndpoint,
  webhookDeliveryLog,
  ROTATION_OVERLAP_MS,
  type EndpointInput,
  type WebhookDeps,
} from './outbound/endpoints.ts';
export { RETRY_WINDOW_MS, retryDelayMs } from './outbound/backoff.ts';
export { signWebhook, newWebhookSecret } from './outbound/sign.ts';
export { sendWebhook, SEND_TIMEOUT_MS, MAX_RESPONSE_BYTES } from './outbound/send.ts';
export { checkSilentChannels, isSilent, silenceAllowanceMs } from './channel-silence.ts';
