/**
 * A new calendar in a connected account, made at its provider (Google calendars.insert, Graph
 * POST /me/calendars, CalDAV MKCALENDAR), recorded like a discovered one and synced from then on:
 * a booking product's own calendar, or the target of a mirror rule. The provider answers at once,
 * so its refusals are answered at once too, each with a code of its own.
 */
import { describeError } from '../sync-here.ts';
import { HubError, isHubError } from '../../shared/errors.ts';
import type { Calendar } from '../../shared/model/index.ts';
import { resolveZone } from '../../shared/time/index.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { startSyncing } from './connect-oauth.ts';

/** The provider's refusal as the API answers it; anything unforeseen stays as it was (500). */
function refusal(e: unknown, provider: string, name: string): unknown {
  if (!isHubError(e)) return e;
  const why = describeError(e);
  switch (e.code) {
    case 'CONNECTOR_PRECONDITION_FAILED':
      return new HubError('CALENDAR_EXISTS', 'never', `${provider} has a calendar named "${name}" (or at its address) already; choose another name (${why})`);
    case 'AUTH_INSUFFICIENT_SCOPE':
      return new HubError('INSUFFICIENT_SCOPE', 'never',
        provider === 'google'
          ? 'the account\'s Google grant does not allow creating calendars (it needs calendar.app.created, which calhub asks for since this version): connect the account again'
          : `the account's grant does not allow creating calendars: ${why}`);
    case 'AUTH_GRANT_REVOKED':
    case 'AUTH_CLIENT_REJECTED':
      return new HubError('ACCOUNT_NEEDS_REAUTH', 'never', `the account must be connected again: ${why}`);
    case 'CONNECTOR_UNSUPPORTED':
      return new HubError('PROVIDER_REFUSED', 'never', `${provider} refused to create the calendar: ${why}`);
    case 'CONNECTOR_TRANSIENT':
    case 'CONNECTOR_RATE_LIMITED':
    case 'AUTH_ACCESS_TOKEN_EXPIRED':
      return new HubError('PROVIDER_UNAVAILABLE', 'backoff', `${provider} did not answer the request: ${why}; try again`);
    default:
      return e;
  }
}

export async function createCalendar(hub: Hub, tenantId: string, accountId: string, req: { name: string; timeZone?: string | null }): Promise<Calendar> {
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  if (!account) throw new MissingError('account', accountId, tenantId);
  const name = req.name.trim();
  if (name === '') throw new HubError('VALIDATION_FAILED', 'never', 'invalid calendar: name: must not be empty');
  const zone = req.timeZone ? resolveZone(req.timeZone) : null;
  if (req.timeZone && !zone) throw new HubError('ZONE_UNKNOWN', 'never', `invalid calendar: timeZone: unknown time zone "${req.timeZone}"`);
  const { connector, ctx } = await hub.connect(account);
  let remote;
  try {
    remote = await connector.createCalendar({ ...ctx, signal: AbortSignal.timeout(60_000) }, { name, timeZone: zone });
  } catch (e) {
    throw refusal(e, account.provider, name);
  }
  const [cal] = await t.calendars.upsertMany(account.id, [
    { providerCalendarId: remote.providerCalendarId, name: remote.name, timeZone: remote.timeZone ?? zone, color: remote.color, readOnly: remote.readOnly },
  ]);
  await startSyncing(hub, tenantId, account.id, [cal!.id]);
  hub.log.info({ tenantId, accountId, calendarId: cal!.id, provider: account.provider }, 'calendar created');
  return cal!;
}
