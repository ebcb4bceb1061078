/** Google's JSON error envelope (provider-facts A.9): `{"error":{"errors":[…],"code","message"}}`. */
export interface GoogleErrorItem {
  domain: string;
  reason: string;
  message: string;
  locationType?: string;
  location?: string;
}

export class GoogleHttpError extends Error {
  readonly status: number;
  readonly item: GoogleErrorItem;
  readonly headers: Record<string, string>;
  constructor(status: number, item: GoogleErrorItem, headers: Record<string, string> = {}) {
    super(item.message);
    this.status = status;
    this.item = item;
    this.headers = headers;
  }

  body(): object {
    return { error: { errors: [this.item], code: this.status, message: this.item.message } };
  }
}

export const badRequest = (message: string, location?: string, reason = 'invalid'): GoogleHttpError =>
  new GoogleHttpError(400, {
    domain: 'global',
    reason,
    message,
    ...(location ? { locationType: 'parameter', location } : {}),
  });

export const notFound = (): GoogleHttpError => new GoogleHttpError(404, { domain: 'global', reason: 'notFound', message: 'Not Found' });

export const forbidden = (message: string, reason = 'forbidden'): GoogleHttpError =>
  new GoogleHttpError(403, { domain: 'global', reason, message });

export const unauthorized = (missing: boolean): GoogleHttpError =>
  new GoogleHttpError(
    401,
    missing
      ? { domain: 'global', reason: 'required', message: 'Login Required.', locationType: 'header', location: 'Authorization' }
      : { domain: 'global', reason: 'authError', message: 'Invalid Credentials', locationType: 'header', location: 'Authorization' },
    { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
  );

export const fullSyncRequired = (): GoogleHttpError =>
  new GoogleHttpError(410, {
    domain: 'calendar',
    reason: 'fullSyncRequired',
    message: 'Sync token is no longer valid, a full sync is required.',
    locationType: 'parameter',
    location: 'syncToken',
  });

export const conditionNotMet = (): GoogleHttpError =>
  new GoogleHttpError(412, {
    domain: 'global',
    reason: 'conditionNotMet',
    message: 'Precondition Failed',
    locationType: 'header',
    location: 'If-Match',
  });

/**
 * calendars.delete of the primary calendar. FIELD: reason `cannotDeletePrimaryCalendar` with 403
 * (GAM-team/GAM's GAPI reasons; client code that checks `status == 403` for it). The message text is
 * UNCONFIRMED.
 */
export const cannotDeletePrimaryCalendar = (): GoogleHttpError =>
  new GoogleHttpError(403, { domain: 'calendar', reason: 'cannotDeletePrimaryCalendar', message: 'Cannot delete primary calendar.' });

/** An owner-only change by a writer or reader: Google's answer to acl.insert (google-api-javascript-client#521). */
export const ownerAccessRequired = (): GoogleHttpError =>
  new GoogleHttpError(403, { domain: 'calendar', reason: 'requiredAccessLevel', message: 'You need to have owner access to this calendar.' });

export const deletedError = (): GoogleHttpError =>
  new GoogleHttpError(410, { domain: 'global', reason: 'deleted', message: 'Resource has been deleted' });

/** The reason/domain/message Google uses for each injectable failure status (A.9). */
export function faultError(status: number, reason: string | undefined, retryAfter: string | undefined): GoogleHttpError {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
  if (status === 401) return unauthorized(false);
  const known: Record<string, GoogleErrorItem> = {
    rateLimitExceeded: { domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' },
    userRateLimitExceeded: { domain: 'usageLimits', reason: 'userRateLimitExceeded', message: 'User Rate Limit Exceeded' },
    quotaExceeded: { domain: 'usageLimits', reason: 'quotaExceeded', message: 'Calendar usage limits exceeded.' },
    forbidden: { domain: 'global', reason: 'forbidden', message: 'Forbidden' },
    insufficientPermissions: { domain: 'global', reason: 'insufficientPermissions', message: 'Insufficient Permission' },
    backendError: { domain: 'global', reason: 'backendError', message: 'Backend Error' },
  };
  const fallback = status === 429 ? 'rateLimitExceeded' : status >= 500 ? 'backendError' : 'forbidden';
  const item = known[reason ?? fallback] ?? { domain: 'global', reason: reason ?? fallback, message: reason ?? 'Error' };
  return new GoogleHttpError(status, item, headers);
}
