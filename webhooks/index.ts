export { webhookRoutes } from './plugin.ts';
export type { WebhookOptions } from './receiver-context.ts';
export { ChannelSupervisor, type SupervisorOptions, type SweepResult } from './supervisor.ts';
export type { PassOutcome } from './channel-pass.ts';
export { PullCoalescer, type RequestPull } from './pull-coalescer.ts';
export { WEBHOOK_ERRORS, type WebhookErrorCode } from './errors.ts';
export { checkSilentChannels, isSilent, silenceAllowanceMs } from './channel-silence.ts';
