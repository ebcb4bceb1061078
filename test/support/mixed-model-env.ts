/**
 * One tenant whose three model calendars sit on three providers: A on Radicale (CalDAV), B on the
 * Google Calendar emulator, C on the Microsoft Graph emulator. The hub reaches each through its
 * real connector; the provider-side edits go through a second connector instance per provider.
 */
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { createGoogleConnector } from '../../connectors/google/index.ts';
import type { CalendarConnector, ConnectorContext } from '../../connectors/index.ts';
import { createMicrosoftConnector } from '../../connectors/microsoft/index.ts';
import type { RunningGoogleEmulator } from '../../emulators/google/index.ts';
import type { MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { EventWriterService, type EngineDeps } from '../../sync-engine/index.ts';
import type { ModelEnv, ProviderDriver } from '../../sync-engine/test-support/model.ts';
import { davContext } from './caldav-harness.ts';
import { connectorDriver } from './connector-driver.ts';
import { makeCalendar, type DavServer } from './dav-servers.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const oauth = (token: string): ConnectorContext => ({ credentials: { kind: 'oauth', getAccessToken: async () => token }, signal: new AbortController().signal, log: quiet, now: () => new Date() });

interface Side {
  provider: 'caldav' | 'google' | 'microsoft';
  externalId: string;
  calendarId: string;
  hub: CalendarConnector;
  other: CalendarConnector;
  ctx: ConnectorContext;
  writes: () => number;
}

export async function mixedModelEnv(p: { dav: DavServer; google: RunningGoogleEmulator; graph: MicrosoftEmulator }, store: Store): Promise<ModelEnv> {
  const tag = Math.random().toString(36).slice(2, 8);
  let davWrites = 0;
  const counting: typeof fetch = (input, init) => {
    if (init?.method === 'PUT' || init?.method === 'DELETE') davWrites += 1;
    return fetch(input, init);
  };
  const davUrl = await makeCalendar(p.dav, `mixed-${tag}`);
  const davHub = createCaldavConnector({ serverUrl: p.dav.homeUrl, fetch: counting }, { pageSize: 20 });
  const davCtx = davContext(p.dav);
  const davCal = (await davHub.listCalendars(davCtx)).find((c) => c.providerCalendarId === davUrl || c.providerCalendarId.endsWith(new URL(davUrl).pathname))!;

  const email = `mixed-${tag}@example.com`;
  p.google.control.createUser({ email, timeZone: 'UTC' });
  const gCal = p.google.control.createCalendar({ ownerEmail: email, summary: `b-${tag}`, timeZone: 'UTC' }).id;
  const gWrites = () => p.google.control.requests().filter((r) => r.method !== 'GET' && r.path.startsWith(`/calendar/v3/calendars/${encodeURIComponent(gCal)}`)).length;

  const user = p.graph.control.createUser({ email: `mixed-${tag}@contoso.test`, timeZone: 'UTC' });

  const sides: Side[] = [
    { provider: 'caldav', externalId: `${p.dav.homeUrl}#${tag}`, calendarId: davCal.providerCalendarId, hub: davHub, other: createCaldavConnector({ serverUrl: p.dav.homeUrl, fetch: counting }), ctx: davCtx, writes: () => davWrites },
    { provider: 'google', externalId: email, calendarId: gCal, hub: createGoogleConnector({ baseUrl: p.google.url }), other: createGoogleConnector({ baseUrl: p.google.url }), ctx: oauth(p.google.control.issueGrant({ email }).accessToken), writes: gWrites },
    // Graph counts writes per emulator, so this calendar's count is the emulator's (runs do not overlap).
    { provider: 'microsoft', externalId: user.email, calendarId: user.calendarId, hub: createMicrosoftConnector({ baseUrl: p.graph.url }), other: createMicrosoftConnector({ baseUrl: p.graph.url }), ctx: oauth(p.graph.control.issueToken({ userId: user.id }).accessToken), writes: () => p.graph.control.requestCounts().writes },
  ];

  const { tenant } = await store.tenants.create(`mixed-model-${tag}`);
  const t = store.tenant(tenant.id);
  const calendars: string[] = [];
  for (const s of sides) {
    const account = await t.accounts.upsert({ provider: s.provider, externalId: s.externalId });
    const [row] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: s.calendarId, name: s.calendarId, timeZone: 'UTC', color: null, readOnly: false }]);
    await t.accounts.markCalendarsListed(account.id);
    calendars.push(row!.id);
  }
  const deps: EngineDeps = {
    store,
    log: createLogger({ level: (process.env.MODEL_LOG as 'debug' | undefined) ?? 'silent' }),
    guard: { maxDeleteShare: 1, minObjects: 1_000_000 },
    connect: async (account) => {
      const s = sides.find((x) => x.provider === account.provider)!;
      return { connector: s.hub, ctx: s.ctx };
    },
  };
  const drivers = sides.map((s) => connectorDriver(s.other, s.ctx, [{ providerCalendarId: s.calendarId, timeZone: 'UTC' }], s.writes));
  const driver: ProviderDriver = {
    list: (c) => drivers[c]!.list(0),
    put: (c, remoteId, events) => drivers[c]!.put(0, remoteId, events),
    delete: (c, remoteId) => drivers[c]!.delete(0, remoteId),
    writes: () => sides.reduce((n, s) => n + s.writes(), 0),
    apart: (c) => !sides[c]!.hub.capabilities.overridesInMasterObject,
    dropsExceptionsOnRuleChange: (c) => sides[c]!.provider === 'microsoft',
    keepsOccurrenceOrder: (c) => sides[c]!.hub.capabilities.keepsOccurrenceOrder === true,
  };
  return { store, deps, tenantId: tenant.id, calendars, writer: new EventWriterService(deps), driver };
}
