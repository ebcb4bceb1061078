/**
 * Test wiring: the connector against a running Graph emulator, with real OAuth refreshes (the
 * emulator's token endpoint) behind getAccessToken, and out-of-band changes through the emulator's
 * control API. Used by the conformance run and the scenario test.
 */
import { parseEvent, type CanonicalEventInput } from '../../shared/model/index.ts';
import { startMicrosoftEmulator, type GraphSwitches, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { ConnectorContext, ConnectorWithPush, RemoteCalendarRef } from '../connector.ts';
import type { ConformanceHarness } from '../conformance/harness.ts';
import { toGraph } from './map-microsoft-event.ts';
import { createMicrosoftConnector } from './microsoft.connector.ts';
import { refreshMicrosoftToken } from './microsoft-oauth.ts';

export interface MicrosoftTestbed {
  emu: MicrosoftEmulator;
  userId: string;
  email: string;
  connector: ConnectorWithPush;
  ctx: ConnectorContext;
  calendar: RemoteCalendarRef;
  refreshes: () => number;
  /** A current access token for direct Graph calls in tests. */
  token: () => string;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const SCOPE = 'Calendars.ReadWrite User.Read offline_access';

/** `defaultCalendar`: use the mailbox's default calendar (the one getSchedule reads) instead of a new one. */
/** `switches`: emulator switches on top of http push (test receivers are plain http on loopback). */
export async function startMicrosoftTestbed(o: { pageSize?: number; timeZone?: string; defaultCalendar?: boolean; now?: () => Date; switches?: Partial<GraphSwitches> } = {}): Promise<MicrosoftTestbed> {
  const emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true, ...o.switches } });
  const timeZone = o.timeZone ?? 'Europe/Berlin';
  const email = `megan.${process.pid}@contoso.test`;
  const user = emu.control.createUser({ email, displayName: 'Megan Bowen', timeZone });
  const cal = o.defaultCalendar ? { id: user.calendarId } : emu.control.createCalendar({ userId: user.id, name: 'calhub test' });
  const tokens = emu.control.issueToken({ userId: user.id, clientId: 'calhub-tests', scopes: SCOPE.split(' ') });
  let access = tokens.accessToken;
  let refresh = tokens.refreshToken!;
  let refreshes = 0;
  const ctx: ConnectorContext = {
    credentials: {
      kind: 'oauth',
      async getAccessToken(force) {
        if (!force) return access;
        refreshes += 1;
        const t = await refreshMicrosoftToken(`${emu.url}/common`, { clientId: 'calhub-tests', refreshToken: refresh, scope: SCOPE });
        access = t.accessToken;
        refresh = t.refreshToken ?? refresh;
        return access;
      },
    },
    signal: new AbortController().signal,
    log: silent,
    now: o.now ?? (() => new Date()),
  };
  const connector = createMicrosoftConnector({ baseUrl: emu.url, pageSize: o.pageSize ?? 10 });
  return { emu, userId: user.id, email, connector, ctx, calendar: { providerCalendarId: cal.id, timeZone }, refreshes: () => refreshes, token: () => access };
}

export async function makeMicrosoftHarness(switches: Partial<GraphSwitches> = {}): Promise<ConformanceHarness> {
  const t = await startMicrosoftTestbed({ pageSize: 10, switches });
  const { emu, userId } = t;
  // Every third delta page is empty but carries a nextLink, as Graph may send (provider-facts B.2).
  emu.control.emptyPages({ every: 3 });
  return {
    connector: t.connector,
    ctx: t.ctx,
    calendar: t.calendar,
    pageSize: 10,
    remote: {
      async createEvent(input: CanonicalEventInput) {
        const e = parseEvent(input);
        const { transactionId: _t, singleValueExtendedProperties: _p, ...body } = toGraph(e, t.calendar.timeZone, { create: true });
        return emu.control.createEvent({ userId, calendarId: t.calendar.providerCalendarId, event: body as never }).immutableId;
      },
      async updateTitle(remoteId, title) {
        emu.control.updateEvent({ userId, id: remoteId, patch: { subject: title } });
      },
      async deleteEvent(remoteId) {
        emu.control.deleteEvent({ userId, id: remoteId });
      },
      async invalidateCursors() {
        emu.control.invalidateDeltaTokens({ userId });
      },
      async failNext(kind) {
        if (kind === 'rate-limited') emu.control.injectFault({ status: 429, retryAfter: 7 });
        else if (kind === 'server-error') emu.control.injectFault({ status: 500 });
        else {
          emu.control.injectFault({ status: 401 });
          emu.control.failNextRefresh({ count: 1 });
        }
      },
      emitsEmptyPages: true,
    },
    async cleanup() {
      await emu.close();
    },
  };
}
