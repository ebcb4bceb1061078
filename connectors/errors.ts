/**
 * The closed connector error taxonomy (architecture §7, house style #8). Each provider has exactly
 * one mapper (`map-<provider>-error.ts`) that turns provider failures into these classes; the
 * queue wrapper maps them to retries. Unknown failures become TransientError (bounded by the
 * calendar's persisted failure count) so an unfamiliar error never disables a channel forever.
 */
import { HubError, type HubErrorOptions } from '../shared/errors.ts';

export class TransientError extends HubError {
  constructor(message: string, opts: HubErrorOptions = {}) {
    super('CONNECTOR_TRANSIENT', 'backoff', message, opts);
    this.name = 'TransientError';
  }
}

export class RateLimitedError extends HubError {
  declare readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, opts: HubErrorOptions = {}) {
    super('CONNECTOR_RATE_LIMITED', 'delay', message, { ...opts, retryAfterMs });
    this.name = 'RateLimitedError';
  }
}

export class AccessTokenExpiredError extends HubError {
  constructor(message = 'access token expired', opts: HubErrorOptions = {}) {
    super('AUTH_ACCESS_TOKEN_EXPIRED', 'refresh', message, opts);
    this.name = 'AccessTokenExpiredError';
  }
}

export class GrantRevokedError extends HubError {
  constructor(message = 'grant revoked; the user must reconnect', opts: HubErrorOptions = {}) {
    super('AUTH_GRANT_REVOKED', 'never', message, opts);
    this.name = 'GrantRevokedError';
  }
}

/**
 * The provider's token endpoint refused the OAuth app's own credentials (`invalid_client`,
 * `unauthorized_client`): a configuration error of the deployment's or the tenant's app. The
 * account keeps its grant and its status; every sync of the app's accounts fails with this until
 * the app is fixed, and the next poll after that succeeds.
 */
export class OAuthClientRejectedError extends HubError {
  constructor(message: string, opts: HubErrorOptions = {}) {
    super('AUTH_CLIENT_REJECTED', 'never', message, opts);
    this.name = 'OAuthClientRejectedError';
  }
}

export class InsufficientScopeError extends HubError {
  constructor(message = 'insufficient permission', opts: HubErrorOptions = {}) {
    super('AUTH_INSUFFICIENT_SCOPE', 'never', message, opts);
    this.name = 'InsufficientScopeError';
  }
}

export class SyncCursorInvalidError extends HubError {
  constructor(message = 'sync cursor is no longer valid; a full resync is required', opts: HubErrorOptions = {}) {
    super('SYNC_CURSOR_INVALID', 'resync', message, opts);
    this.name = 'SyncCursorInvalidError';
  }
}

export class PreconditionFailedError extends HubError {
  /**
   * The object the provider holds the change in, when it is not the one written: an occurrence the
   * hub writes for the first time that the provider has changed already (its exception).
   */
  readonly holder: string | null;
  constructor(message = 'the remote item changed since it was read', opts: HubErrorOptions & { holder?: string } = {}) {
    const { holder, ...rest } = opts;
    super('CONNECTOR_PRECONDITION_FAILED', 'replan', message, rest);
    this.name = 'PreconditionFailedError';
    this.holder = holder ?? null;
  }
}

export class RemoteNotFoundError extends HubError {
  constructor(message = 'remote item not found', opts: HubErrorOptions = {}) {
    super('CONNECTOR_NOT_FOUND', 'skip', message, opts);
    this.name = 'RemoteNotFoundError';
  }
}

export class InvalidRemoteDataError extends HubError {
  constructor(message: string, opts: HubErrorOptions = {}) {
    super('CONNECTOR_INVALID_DATA', 'skip', message, opts);
    this.name = 'InvalidRemoteDataError';
  }
}

/** A write the provider cannot represent (e.g. an RDATE on Microsoft Graph). Not retried. */
export class UnsupportedError extends HubError {
  constructor(message: string, opts: HubErrorOptions = {}) {
    super('CONNECTOR_UNSUPPORTED', 'never', message, opts);
    this.name = 'UnsupportedError';
  }
}

/**
 * A write that would bring back an occurrence the provider has deleted (an EXDATE removed from a
 * Graph series): Graph cannot restore it. Not retried; the push recreates a mirror copy instead
 * (calhub's own), and refuses any other event with this code (docs/errors.md).
 */
export class CannotRestoreError extends HubError {
  constructor(message: string, opts: HubErrorOptions = {}) {
    super('PROVIDER_CANNOT_RESTORE', 'never', message, opts);
    this.name = 'CannotRestoreError';
  }
}

/** Parse a Retry-After header (seconds or HTTP-date) into milliseconds; undefined when absent. */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
