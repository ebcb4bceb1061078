/**
 * A new calendar in a connected account, made at its provider (Google calendars.insert, Graph
 * POST /me/calendars, CalDAV MKCALENDAR), recorded like a discovered one and synced from then on:
 * a booking product's own calendar, or the target of a mirror rule. The provider answers at once,
 * so its refusals are answered at once too, each with a code of its own.
 */
import { HubError } from '../../shared/errors.ts';
import type { Calendar } from '../../shared/model/index.ts';
import { resolveZone } from '../../shared/time/index.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { startSyncing } from './connect-oauth.ts';
import { providerRefusal } from './provider-refusal.ts';
import { checkCalendarName } from './calendar-name.ts';

export async function createCalendar(hub: Hub, tenantId: string, accountId: string, req: { name: string; timeZone?: string | null }): Promise<Calendar> {
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  if (!account) throw new MissingError('account', accountId, tenantId);
  const name = checkCalendarName(req.name);
  const zone = req.timeZone ? resolveZone(req.timeZone) : null;
  if (req.timeZone && !zone) throw new HubError('ZONE_UNKNOWN', 'never', `invalid calendar: timeZone: unknown time zone "${req.timeZone}"`);
  const { connector, ctx } = await hub.connect(account);
  let remote;
  try {
    remote = await connector.createCalendar({ ...ctx, signal: AbortSignal.timeout(60_000) }, { name, timeZone: zone });
  } catch (e) {
    throw providerRefusal(e, { provider: account.provider, calendarName: name });
  }
  const [cal] = await t.calendars.upsertMany(account.id, [
    { providerCalendarId: remote.providerCalendarId, name: remote.name, timeZone: remote.timeZone ?? zone, color: remote.color, readOnly: remote.readOnly, accessRole: remote.accessRole },
  ]);
  await startSyncing(hub, tenantId, account.id, [cal!.id]);
  hub.log.info({ tenantId, accountId, calendarId: cal!.id, provider: account.provider }, 'calendar created');
  return cal!;
}
