/**
 * Connect a CalDAV account: discover its calendars with the given credentials, then store the
 * account (password encrypted at rest) and its event calendars. Reconnecting updates the same
 * account (same server and user). The OAuth callback is the other way in (hub/accounts/).
 */
import type { Calendar } from '../../shared/model/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { AccountRow } from '../../shared/store/index.ts';
import { newConnector } from '../connect.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { providerRefusal } from './provider-refusal.ts';

export interface CaldavLogin {
  serverUrl: string;
  username: string;
  password: string;
}

export async function connectCaldav(hub: Hub, tenantId: string, login: CaldavLogin): Promise<{ account: AccountRow; calendars: Calendar[] }> {
  const { serverUrl, username, password } = login;
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new ValidationError('the server URL (--url) must be an absolute http(s) URL');
  }
  if (!(await hub.store.tenants.get(tenantId))) throw new MissingError('tenant', tenantId);
  const connector = await newConnector('caldav', { serverUrl, allowPrivateNetworks: hub.config.caldavAllowPrivateNetworks, requestDeadlineMs: hub.config.caldavRequestDeadlineMs });
  const ctx = { credentials: { kind: 'basic' as const, username, password }, signal: AbortSignal.timeout(60_000), log: hub.log, now: () => new Date() };
  let remote;
  try {
    remote = (await connector.listCalendars(ctx)).filter((c) => c.supportsEvents);
  } catch (e) {
    throw providerRefusal(e, { provider: 'CalDAV', connecting: true });
  }
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.upsert({
    provider: 'caldav',
    externalId: `${username}@${url.host}${url.pathname}`,
    displayName: username,
    credentials: hub.keyring.encrypt(JSON.stringify({ username, password })),
    config: { serverUrl },
  });
  const calendars = await t.calendars.upsertMany(
    account.id,
    remote.map((c) => ({ providerCalendarId: c.providerCalendarId, name: c.name, timeZone: c.timeZone, color: c.color, readOnly: c.readOnly, accessRole: c.accessRole })),
    { syncShared: hub.config.syncSharedCalendars },
  );
  // The first sync starts now when a worker listens (as an OAuth connect does), not when the user
  // gets round to `resync`: it runs while they type the next command.
  if (hub.engine) for (const c of calendars) if (c.syncEnabled) await hub.requestPull(tenantId, c.id);
  return { account, calendars };
}
