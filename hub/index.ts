// The application layer: openHub wires the parts once; each operation is one function taking the hub.
// Routes (api/) and commands (cli/commands/) parse, call these, and print.
export { openHub, type Hub, type HubOptions, type QueueMode } from './open-hub.ts';
export type { ConnectorFactory } from './connect.ts';
export { MissingError, RefusedError } from './errors.ts';
export type { Problem } from './sync-here.ts';
export { describeError } from './sync-here.ts';
export { calendarHealth, type CalendarHealth } from './calendar-health.ts';

export { connectCaldav, caldavLoginOf, isEmailAddress, serverUrlProblem, withHttps, PAGE_DISCOVERY_DEADLINE_MS, type CaldavLogin } from './accounts/connect-caldav.ts';
export { createCalendar } from './accounts/create-calendar.ts';
export { deleteCalendar, type DeletedCalendar } from './accounts/delete-calendar.ts';
export { renameCalendar } from './accounts/rename-calendar.ts';
export { refreshCalendarList, refreshDueCalendarLists, type CalendarListReport } from './accounts/refresh-calendars.ts';
export { setAccountStatus } from './accounts/status.ts';
export { accountsOverview, getAccount, getCalendar, listAccounts, listCalendars, publicAccount, publicCalendar, type AccountOverview, type PublicAccount } from './accounts/list.ts';
export { resync, type ResyncReport } from './resync.ts';
export { createRule, deleteRule, getRule, listRules, RuleExistsError, ruleState, showRule, updateRule, refusalText, type PausedCode, type RuleState, type ShownRule } from './rules.ts';
export { workingHoursProblem } from '../sync-engine/index.ts';
export { conflictTenant, getConflict, listConflicts, resolveConflict } from './conflicts.ts';
export { calendarPolicy, setCalendarSync, setCalendarZone, setCountsForBusy, updateCalendar, unflagCalendar, CONFLICT_POLICIES, DELETE_POLICIES, type ConflictPolicy, type DeletePolicy } from './calendars.ts';
export { listRuns, revertRun } from './runs.ts';
export { createTenant, listTenants, tenantOfKey, apiKeyHandle, listApiKeys, createApiKey, revokeApiKey } from './tenants.ts';
export { JOB_STATES, JOBS_LISTED, listJobs, listJobsFromRedis, retryJobs, type JobState, type JobView, type JobsListed } from './queue.ts';
export { getOccurrence, updateOccurrence, deleteOccurrence } from './occurrences.ts';
export { updateFollowing, deleteFollowing } from './following.ts';
export { answerInvitation, answerOccurrence, RSVP_RESPONSES, type RsvpResponse } from './rsvp.ts';
export { PATCH_KEEPS, rejectReadOnly, createEvent, updateEvent, deleteEvent, getEvent, calendarOf, pageOfEvents, eventInstances, etagOf, showEvent, quarantinedRows, busyCost, WritePreconditionError, type EventInstance, type Keyset, type WriteOptions, type WrittenEvent } from './events.ts';
export { ChannelSupervisor, type SupervisorOptions, type SweepResult } from './channels/supervisor.ts';
export type { PassOutcome, RequestPull } from './channels/channel-pass.ts';
export { migrationState, migrationsSaid, type MigrationState } from './migrations.ts';
export { freeBusy, availability, type FreeBusyQuery, type AvailabilityQuery, type AvailabilityLimits } from './freebusy.ts';
export { WEEKDAYS, type WorkingHours } from '../freebusy/index.ts';
export { WebhookDispatcher, WEBHOOK_QUEUE, type DispatcherOptions } from './webhooks-out/dispatcher.ts';
export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  replayWebhooks,
  retirePreviousWebhookSecret,
  rotateWebhookSecret,
  RotationInProgressError,
  testWebhookEndpoint,
  updateWebhookEndpoint,
  webhookDeliveryLog,
  webhookDeliveryView,
  viewWebhookEndpoints,
  ROTATION_OVERLAP_MS,
  type DeliveryRow,
  type EndpointInput,
  type WebhookDeps,
} from './webhooks-out/endpoints.ts';
export { RETRY_WINDOW_MS, retryDelayMs } from './webhooks-out/backoff.ts';
export { endpointView, errorWithoutBody, OWED_COUNT_CAP, type EndpointView } from './webhooks-out/view.ts';
export { signWebhook, newWebhookSecret } from './webhooks-out/sign.ts';
export { sendWebhook, SEND_TIMEOUT_MS, MAX_RESPONSE_BYTES } from './webhooks-out/send.ts';
export { WEBHOOK_EVENT_TYPES, type WebhookEndpointRow, type WebhookEventType } from '../shared/store/index.ts';
export { deploymentStatus, type StatusReport } from './status.ts';
export { listChannels, listQueuedStops, type ChannelRow, type QueuedStopRow } from './channels/list-channels.ts';
export { renewChannels, type RenewOutcome } from './channels/renew-channels.ts';
export { planResync, type CalendarDryRun, type DryRunReport } from './resync-plan.ts';
export { resyncAccounts, resyncCalendarIds, type ResyncTarget } from './resync-targets.ts';
export { syncProgress, type CalendarProgressView } from './sync-progress.ts';
export { checkSilentChannels, isSilent, silenceAllowanceMs } from './channels/channel-silence.ts';
export { startIdempotent, finishIdempotent, purgeIdempotencyKeys, requestFingerprint, isIdempotencyKey, IDEMPOTENCY_TTL_MS, IDEMPOTENCY_STALE_MS, type IdempotentStart, type IdempotencyOptions, type StoredAnswer } from './idempotency.ts';
export { pageList, type ListFilter, type Listed, type PageRequest } from './paging.ts';
export { pageAccounts, pageCalendars, pageConflicts, pageRules, pageWebhookDeliveries, pageWebhookEndpoints } from './lists.ts';
export { listQuarantine, pageQuarantine, QUARANTINE_REASONS, type QuarantineEntry, type QuarantineReason } from './quarantine.ts';
export { listPendingWrites, pagePendingWrites, WRITE_STATES, type PendingWrite, type WriteState } from './pending-writes.ts';

export { oauthAuthorizeUrl, hostedAuthorizeUrl, operatorAuthorizeUrl, oauthCallback, discoverAndSync, startSyncing, hubBaseUrl, type AuthorizeRequest, type CallbackOutcome } from './accounts/connect-oauth.ts';
export { disconnectAccount, type CopyLeft, type CopyProgress, type DisconnectReport } from './accounts/disconnect.ts';
export { showAccount, accountTenantOf, type AccountDetail } from './accounts/show.ts';
export { rotateEncryptionKeys, addGeneratedKey, keyFileIn } from './keys.ts';
export { announceKeyRing } from './key-ring-holders.ts';
export type { RotationReport } from '../oauth/index.ts';
export { setOAuthApp, setRetiredClientSecret, getOAuthApp, removeOAuthApp, connectableProviders, AppInUseError, type OAuthAppView } from './oauth-apps.ts';
export { claimConnectSession, finishConnectSession, releaseConnectSession } from './connect-session-claim.ts';
export { allowRedirectUri, removeRedirectUri, listRedirectUris, createConnectSession, connectSession, takeConnectAttempt, sessionAccount, sessionReturnAllowed, sessionAppName, failConnectSession, checkAppName, APP_NAME_MAX, CONNECT_ATTEMPTS, checkRedirectUri, type SessionRequest, type ConnectSession } from './connect-sessions.ts';
export { ACCESS_LEVELS, isOAuthProvider, bindingCookieName, type AccessLevel, type OAuthProviderId } from '../oauth/index.ts';
