/**
 * The stable code of a failure recorded as text. A sync run records its failure as
 * `CODE: message` (sync-engine/sync-run.ts describeError) on the calendar, and that line goes out
 * in sync.failed webhooks and the calendar's lastError; products were left to parse the prefix.
 * The code is read back here, but only when it is one calhub raises: a plain error's message may
 * begin with something shaped like a code ("ECONNRESET: …"), which is not one of ours. Pure.
 */

/**
 * Every code a hub error raises below the API (connectors, sync-engine, oauth, hub, shared).
 * docs/errors.test.ts fails when a code raised there is missing here or is not documented.
 */
export const HUB_ERROR_CODES: ReadonlySet<string> = new Set([
  'ACCOUNT_DISABLED', 'ACCOUNT_NEEDS_REAUTH', 'ACCOUNT_READ_ONLY', 'AUTH_ACCESS_TOKEN_EXPIRED', 'AUTH_CLIENT_REJECTED', 'AUTH_GRANT_REVOKED',
  'AUTH_INSUFFICIENT_SCOPE', 'CALENDAR_EXISTS', 'CALENDAR_FLAGGED', 'CALENDAR_MIRRORED', 'CALENDAR_NOT_DELETABLE', 'CALENDAR_NOT_SYNCED',
  'CALENDAR_READ_ONLY', 'CHANNELS_LEFT_RUNNING', 'EVENT_QUARANTINED', 'CONFERENCE_UNSUPPORTED', 'CONFIG_INVALID', 'CONFLICT_ALREADY_RESOLVED', 'CONNECTOR_INVALID_DATA',
  'CONNECTOR_NOT_FOUND', 'CONNECTOR_PRECONDITION_FAILED', 'CONNECTOR_RATE_LIMITED', 'CONNECTOR_TRANSIENT', 'CONNECTOR_UNSUPPORTED',
  'COPIES_ELSEWHERE_LEFT', 'COPIES_LEFT', 'CREDENTIALS_REJECTED', 'DNS_UNAVAILABLE', 'ERR_CALDAV_SSRF_BLOCKED', 'IDEMPOTENCY_KEY_IN_USE',
  'IDEMPOTENCY_KEY_REUSED', 'INSUFFICIENT_SCOPE', 'INVALID_REQUEST', 'INVALID_TEXT', 'INVALID_WINDOW', 'KEY_RING_IN_USE', 'MASS_CHANGE_GUARD',
  'NOT_FOUND', 'NOT_INVITED', 'NO_BUSY_CALENDARS', 'NO_FOLLOWING_OCCURRENCE', 'OAUTH_APP_IN_USE', 'OCCURRENCE_OUT_OF_ORDER', 'ORGANIZER_UNKNOWN',
  'PRECONDITION_FAILED', 'PROVIDER_CANNOT_RESTORE', 'PROVIDER_REFUSED', 'PROVIDER_UNAVAILABLE', 'QUEUE_UNREACHABLE', 'REVOCATION_FAILED',
  'RULE_EXISTS', 'SCHEMA_NEWER', 'SECRET_UNREADABLE', 'SLOT_TAKEN', 'STORE_FAILED', 'STORE_UNAVAILABLE', 'SYNC_BUSY', 'SYNC_CURSOR_INVALID',
  'SYNC_CURSOR_RESET', 'SYNC_SLOT_LOST', 'TENANT_NAME_TAKEN', 'TOO_MANY_CALENDARS', 'TOO_MANY_PARTICIPANTS', 'URL_NOT_ALLOWED',
  'VALIDATION_FAILED', 'WEBHOOK_ROTATION_IN_PROGRESS', 'WORKING_HOURS_INVALID', 'WRITES_PENDING', 'ZONE_UNKNOWN',
]);

/** The code a recorded failure (`CODE: message`) begins with; null when it names none of calhub's. */
export function codeOfError(text: string | null | undefined): string | null {
  const m = /^([A-Z][A-Z0-9_]+): /.exec(text ?? '');
  return m && HUB_ERROR_CODES.has(m[1]!) ? m[1]! : null;
}

/**
 * Why an account in this status needs its user: a stable code beside its statusReason (which
 * is the provider's own word, such as `invalid_grant`, or calhub's message). Only a revoked grant
 * (GrantRevokedError: the token endpoint's invalid_grant, interaction_required, consent_required,
 * invalid_scope, or no refresh token left) sends an account to needs_reauth; null otherwise.
 */
export const accountReasonCode = (status: unknown): string | null => (status === 'needs_reauth' ? 'AUTH_GRANT_REVOKED' : null);
