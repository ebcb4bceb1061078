/**
 * A provider's refusal of a call made while answering a request (connecting a CalDAV account,
 * creating a calendar), as the API answers it: a code of its own with the provider's words,
 * instead of the connector's code, which the API does not answer (it would be a 500).
 */
import { HubError, isHubError } from '../../shared/errors.ts';
import { scrubSecrets } from '../../shared/logger.ts';

export interface RefusalContext {
  provider: string;
  /** Connecting: a rejected login is the user's password, not a grant to renew. */
  connecting?: boolean;
  /** Creating this calendar: a precondition failure means it exists. */
  calendarName?: string;
  /** Deleting a calendar: the provider's refusals of that have codes of their own. */
  deleting?: boolean;
  /** Renaming a calendar (with calendarName, the name asked for). */
  renaming?: boolean;
}

const UNDELETABLE = new Set(['primary-calendar', 'not-calendar-owner', 'not-a-calendar']);

export function providerRefusal(e: unknown, c: RefusalContext): unknown {
  if (!isHubError(e)) return e;
  // The provider's words without the connector's code: the refusal has a code of its own, and
  // "URL_NOT_ALLOWED: CONNECTOR_UNSUPPORTED: …" read as two problems, one of them not the API's.
  const why = scrubSecrets(e.message);
  switch (e.code) {
    case 'CONNECTOR_PRECONDITION_FAILED':
      return c.calendarName === undefined ? e : new HubError('CALENDAR_EXISTS', 'never', `${c.provider} has a calendar named "${c.calendarName}" (or at its address) already; choose another name (${why})`);
    case 'AUTH_INSUFFICIENT_SCOPE':
      return new HubError('INSUFFICIENT_SCOPE', 'never',
        c.provider === 'google' && c.calendarName !== undefined && !c.renaming
          ? 'the account\'s Google grant does not allow creating calendars (it needs calendar.app.created, which calhub asks for since this version): connect the account again'
          : c.provider === 'google' && (c.deleting || c.renaming)
            ? `the account's Google grant lets calhub ${c.deleting ? 'delete' : 'rename'} only calendars calhub created (calendar.app.created); change this one in Google Calendar (${why})`
            : `${c.provider} refused: the account may not do this (${why})`);
    case 'AUTH_GRANT_REVOKED':
    case 'AUTH_CLIENT_REJECTED':
      return c.connecting
        ? new HubError('CREDENTIALS_REJECTED', 'never', `the ${c.provider} server rejected the username or password${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''}`)
        : new HubError('ACCOUNT_NEEDS_REAUTH', 'never', `the account must be connected again: ${why}`);
    case 'CONNECTOR_UNSUPPORTED':
      if (c.deleting && e.reason !== undefined && UNDELETABLE.has(e.reason)) return new HubError('CALENDAR_NOT_DELETABLE', 'never', `${e.message} (${e.reason})`);
      if (c.renaming && e.reason === 'not-calendar-owner') return new HubError('CALENDAR_READ_ONLY', 'never', `${e.message} (${e.reason})`);
      if (e.reason === 'ssrf-blocked') return new HubError('URL_NOT_ALLOWED', 'never', why);
      if (c.connecting && e.reason === 'not-dav') return new HubError('PROVIDER_REFUSED', 'never', `nothing calhub can use at that address: ${why}`);
      return new HubError('PROVIDER_REFUSED', 'never', `${c.provider} refused the request: ${why}`);
    case 'CONNECTOR_NOT_FOUND':
      return c.connecting ? new HubError('PROVIDER_REFUSED', 'never', `nothing calhub can use at that address: ${why}`) : e;
    case 'CONNECTOR_TRANSIENT':
      // A host name that does not resolve, or https to a port that speaks none: the address given
      // is wrong, and "try again" would not help the person connecting. Its message alone: the
      // connector's code (CONNECTOR_TRANSIENT) inside a refusal read as a contradiction.
      if (c.connecting && (e.reason === 'host-unknown' || e.reason === 'tls-failed')) return new HubError('PROVIDER_REFUSED', 'never', `nothing calhub can use at that address: ${why}`, { reason: e.reason });
      return new HubError('PROVIDER_UNAVAILABLE', 'backoff', `${c.provider} did not answer the request: ${why}; try again`);
    case 'CONNECTOR_RATE_LIMITED':
    case 'AUTH_ACCESS_TOKEN_EXPIRED':
      return new HubError('PROVIDER_UNAVAILABLE', 'backoff', `${c.provider} did not answer the request: ${why}; try again`);
    default:
      return e;
  }
}
