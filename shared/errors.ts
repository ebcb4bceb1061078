/**
 * The base of calhub's closed error taxonomy (architecture §7). Every error carries a literal
 * `code` and says how it is retried, so the queue wrapper and the HTTP error handler can decide
 * without `instanceof` (errors that cross process boundaries keep only name/code/message).
 */
export type RetryClass =
  | 'backoff' // transient: retry with jittered backoff
  | 'delay' // rate limited: delay this job by retryAfterMs
  | 'refresh' // access token expired: refresh once inline, then repeat
  | 'never' // permanent: do not retry
  | 'resync' // cursor invalid: complete this job and schedule a full resync
  | 'replan' // precondition failed: refetch, re-plan, retry now
  | 'skip'; // item-level: treat as deleted / quarantine the item and continue

export interface HubErrorOptions {
  provider?: string;
  httpStatus?: number;
  reason?: string;
  cause?: unknown;
  retryAfterMs?: number;
}

export class HubError extends Error {
  readonly code: string;
  readonly retry: RetryClass;
  readonly provider?: string;
  readonly httpStatus?: number;
  readonly reason?: string;
  readonly retryAfterMs?: number;

  constructor(code: string, retry: RetryClass, message: string, opts: HubErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HubError';
    this.code = code;
    this.retry = retry;
    if (opts.provider !== undefined) this.provider = opts.provider;
    if (opts.httpStatus !== undefined) this.httpStatus = opts.httpStatus;
    if (opts.reason !== undefined) this.reason = opts.reason;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }

  /** A plain object safe to log or send across processes: no cause chain, no secrets. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retry: this.retry,
      provider: this.provider,
      httpStatus: this.httpStatus,
      reason: this.reason,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

export function isHubError(e: unknown): e is HubError {
  return (
    e instanceof HubError ||
    (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' &&
      typeof (e as { retry?: unknown }).retry === 'string')
  );
}

/** Invalid configuration: the message names the variable and the expected form. Exit code 2. */
export class ConfigError extends HubError {
  readonly variable: string;
  constructor(variable: string, expected: string, cause?: unknown) {
    super('CONFIG_INVALID', 'never', `${variable}: expected ${expected}`, { cause });
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** Canonical data failed validation (a bug in a mapper, or bad input to the API). */
export class ValidationError extends HubError {
  readonly issues: string[];
  /** `INVALID_REQUEST`: a field that is not one (parseEvent's unknown keys), worded as the API's schema words it. */
  constructor(message: string, issues: string[] = [], code: 'VALIDATION_FAILED' | 'INVALID_REQUEST' = 'VALIDATION_FAILED') {
    super(code, 'never', message);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/**
 * A store failure. The message is generic on purpose: SQL text, parameters and driver details
 * stay in `cause`, which is logged server-side and never sent to API clients.
 */
export class StoreError extends HubError {
  constructor(message: string, cause?: unknown, code = 'STORE_FAILED') {
    super(code, 'backoff', message, { cause });
    this.name = 'StoreError';
  }
}

/** A row that must exist does not, or belongs to another tenant (indistinguishable on purpose). */
export class NotFoundError extends HubError {
  constructor(what: string) {
    super('NOT_FOUND', 'never', `${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** The calendar's sync is switched off (migration 0021): calhub keeps no copy of it to read or write. */
export class CalendarNotSyncedError extends HubError {
  constructor(calendarId: string) {
    super('CALENDAR_NOT_SYNCED', 'never', `calendar ${calendarId} is not synced (its sync is switched off, so calhub keeps no copy of it); switch it on first`);
    this.name = 'CalendarNotSyncedError';
  }
}

/**
 * A pull's cursor commit found the calendar's cursor cleared since the pull started (a calendar
 * list reading found the calendar back after it was missing, an access change, sync switched
 * off): the page is rolled back and the clear stands; the next listing is a full one.
 */
export class SyncCursorResetError extends HubError {
  constructor(calendarId: string) {
    super('SYNC_CURSOR_RESET', 'backoff', `calendar ${calendarId}: its sync cursor was cleared while this pull ran; nothing of the page was committed and the next listing is a full one`);
    this.name = 'SyncCursorResetError';
  }
}
