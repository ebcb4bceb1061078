/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Issue 5's scenario through the real hub path: the registry connector via makeConnect (encrypted
 * OAuth credentials, refresh with rotation), settle() into the store, and then the STORE must
 * equal the emulator's items exactly and the BUSY INDEX must equal getSchedule on the emulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GrantRevokedError } from '../../connectors/errors.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { parseEvent, type EventTime } from '../../shared/model/index.ts';
import { EventWriterService, settle } from '../../sync-engine/index.ts';
import { busyFromIndex, iso, openHub, sortBy, storedCredentials, timeKey, type HubSetup } from '../support/hub-store.ts';

const EMAIL = 'megan.store@contoso.test';
const CLIENT = 'calhub-store-test';
const W = 'W. Europe Standard Time';
const WINDOW = { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-31T00:00:00Z') };
const t = (dateTime: string, timeZone = W) => ({ dateTime, timeZone });
const RANK: Record<string, number> = { free: 0, workingElsewhere: 1, tentative: 2, busy: 3, oof: 4 };
const DIGIT: Record<string, string> = { free: '0', tentative: '1', busy: '2', oof: '3', workingElsewhere: '4' };

type Row = { id: string; version: string | null; cancelled: boolean; title: string | null; start: string; end: string; availability: string; originalStart: string | null; exdates: string[] };

/** Graph answers in UTC without an offset; all-day items are midnight to midnight. */
const graphTime = (v: { dateTime: string }, allDay: boolean) => (allDay ? v.dateTime.slice(0, 10) : iso(`${v.dateTime.slice(0, 19)}Z`));
/** An EXDATE as the occurrence date in its own zone, the form of Graph's cancelledOccurrences. */
const exdateDay = (x: EventTime) =>
  'dateTime' in x ? new Intl.DateTimeFormat('en-CA', { timeZone: x.timeZone }).format(new Date(x.dateTime)) : 'date' in x ? x.date : x.local.slice(0, 10);

describe('microsoft: emulator → settle → store and busy index equal the emulator', () => {
  let emu: MicrosoftEmulator;
  let h: HubSetup;
  let userId = '';
  let providerCal = '';
  let calId = '';
  let readToken = '';
  const ids: Record<string, string> = {};
  const ctl = () => emu.control;
  const graph = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}/v1.0${path}`, {
      method, headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/json', Prefer: 'IdType="ImmutableId"' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path} → ${res.status}`);
    return (await res.json()) as any;
  };
  const instances = async (id: string) => ((await graph('GET', `/me/events/${id}/instances?startDateTime=2026-11-01T00:00:00Z&endDateTime=2027-06-01T00:00:00Z&$top=500`)).value ?? []) as any[];
  const create = (event: Record<string, unknown>) => ctl().createEvent({ userId, calendarId: providerCal, event: event as never }).immutableId;
  const writes = () => ctl().requests().filter((r) => r.method !== 'GET').length;

  /** The emulator's items: masters and singles from /events, exceptions from /instances. */
  async function emulatorRows(): Promise<Row[]> {
    const fields = 'id,type,subject,start,end,isAllDay,isCancelled,showAs,originalStart,cancelledOccurrences';
    const listed = (await graph('GET', `/me/calendars/${providerCal}/events?$top=500&$select=${fields}`)).value as any[];
    const items = [...listed];
    for (const m of listed.filter((e) => e.type === 'seriesMaster')) items.push(...(await instances(m.id)).filter((i) => i.type === 'exception'));
    const rows = items.map((e): Row => ({
      id: e.id, version: e['@odata.etag'] ?? null, cancelled: e.isCancelled === true, title: e.subject ?? null,
      start: graphTime(e.start, e.isAllDay), end: graphTime(e.end, e.isAllDay), availability: e.showAs ?? 'busy',
      originalStart: e.type === 'exception' ? iso(e.originalStart) : null,
      exdates: ((e.cancelledOccurrences ?? []) as string[]).map((o) => o.split('.').at(-1)!).sort(),
    }));
    return sortBy(rows, (r) => r.id);
  }

  async function storeRows(): Promise<Row[]> {
    const rows = (await h.store.tenant(h.tenantId).events.list(calId)).map(({ remoteId, event: e }): Row => ({
      id: remoteId ?? '(none)', version: e.providerVersion, cancelled: e.status === 'cancelled', title: e.title,
      start: timeKey(e.start), end: timeKey(e.end), availability: e.availability,
      originalStart: e.originalStart ? timeKey(e.originalStart) : null, exdates: (e.recurrence?.exdates ?? []).map(exdateDay).sort(),
    }));
    return sortBy(rows, (r) => r.id);
  }

  async function schedule(): Promise<{ view: string; spans: Array<{ start: string; end: string }> }> {
    const r = await graph('POST', '/me/calendar/getSchedule', { schedules: [EMAIL], startTime: t(WINDOW.start.toISOString().slice(0, 19), 'UTC'), endTime: t(WINDOW.end.toISOString().slice(0, 19), 'UTC'), availabilityViewInterval: 30 });
    const s = r.value[0];
    const spans = (s.scheduleItems as any[])
      .map((i) => [Math.max(Date.parse(`${i.start.dateTime.slice(0, 19)}Z`), WINDOW.start.getTime()), Math.min(Date.parse(`${i.end.dateTime.slice(0, 19)}Z`), WINDOW.end.getTime())] as [number, number])
      .sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const x of spans) {
      const last = merged.at(-1);
      if (last && x[0] <= last[1]) last[1] = Math.max(last[1], x[1]);
      else merged.push([...x]);
    }
    return { view: s.availabilityView, spans: merged.map(([a, b]) => ({ start: iso(a), end: iso(b) })) };
  }

  /** availabilityView from the busy index: strongest status per 30-minute slot. */
  async function indexView(): Promise<string> {
    const spans = await h.store.tenant(h.tenantId).busy([calId], WINDOW.start, WINDOW.end);
    let view = '';
    for (let a = WINDOW.start.getTime(); a < WINDOW.end.getTime(); a += 1_800_000) {
      let best = 'free';
      for (const s of spans) if (s.start.getTime() < a + 1_800_000 && s.end.getTime() > a && (RANK[s.status] ?? 3) > RANK[best]!) best = s.status;
      view += DIGIT[best];
    }
    return view;
  }

  async function assertStoreEqualsEmulator() {
    assert.deepEqual(await storeRows(), await emulatorRows(), 'store rows differ from the emulator');
  }

  /** Separate from the rows so a busy mismatch does not hide whether the rows converged. */
  async function assertBusyEqualsSchedule() {
    const { view, spans } = await schedule();
    assert.deepEqual(await busyFromIndex(h, calId, WINDOW.start, WINDOW.end), spans, 'busy index differs from getSchedule scheduleItems');
    assert.equal(await indexView(), view, 'busy index differs from getSchedule availabilityView');
    return view;
  }

  before(async () => {
    emu = await startMicrosoftEmulator();
    const user = ctl().createUser({ email: EMAIL, displayName: 'Megan Store', timeZone: 'Europe/Berlin' });
    userId = user.id;
    providerCal = user.calendarId; // getSchedule reads the default calendar only
    readToken = ctl().issueToken({ userId, clientId: 'schedule-reader' }).accessToken;
    ctl().emptyPages({ every: 4 });
    ids.weekly = create({ subject: 'team sync', start: t('2026-12-07T09:00:00'), end: t('2026-12-07T10:00:00'), recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'sunday' }, range: { type: 'numbered', startDate: '2026-12-07', numberOfOccurrences: 10 } } });
    ids.daily = create({ subject: 'west coast standup', showAs: 'tentative', start: t('2026-12-07T08:30:00', 'Pacific Standard Time'), end: t('2026-12-07T08:45:00', 'Pacific Standard Time'), recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-12-07', endDate: '2026-12-18' } } });
    ids.monthly = create({ subject: 'month end', showAs: 'oof', start: t('2026-12-25T13:00:00', 'Eastern Standard Time'), end: t('2026-12-25T15:00:00', 'Eastern Standard Time'), recurrence: { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' }, range: { type: 'noEnd', startDate: '2026-12-25' } } });
    ids.holiday = create({ subject: 'offsite', isAllDay: true, start: t('2026-12-10T00:00:00'), end: t('2026-12-12T00:00:00') });
    ids.freeDay = create({ subject: 'reminder', isAllDay: true, showAs: 'free', start: t('2026-12-15T00:00:00'), end: t('2026-12-16T00:00:00') });
    ids.yearly = create({ subject: 'anniversary', isAllDay: true, start: t('2026-12-20T00:00:00'), end: t('2026-12-21T00:00:00'), recurrence: { pattern: { type: 'absoluteYearly', interval: 1, month: 12, dayOfMonth: 20 }, range: { type: 'noEnd', startDate: '2026-12-20' } } });
    ids.india = create({ subject: 'Bangalore review', showAs: 'workingElsewhere', start: t('2026-12-08T15:30:00', 'India Standard Time'), end: t('2026-12-08T16:30:00', 'India Standard Time') });
    ids.cancelled = create({ subject: 'called off', isCancelled: true, start: t('2026-12-11T14:00:00'), end: t('2026-12-11T15:00:00') });
    const weekly = await instances(ids.weekly);
    ctl().updateEvent({ userId, id: weekly[2].id, patch: { subject: 'team sync (moved)', start: t('2026-12-14T13:00:00'), end: t('2026-12-14T14:30:00') } });
    ctl().deleteEvent({ userId, id: weekly[3].id });
    ctl().deleteEvent({ userId, id: (await instances(ids.daily))[4].id });
    const tokens = ctl().issueToken({ userId, clientId: CLIENT });
    h = await openHub({
      provider: 'microsoft',
      externalId: EMAIL,
      baseUrl: emu.url,
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000, },
      clientId: CLIENT,
    });
    calId = h.calendars.get(providerCal)!;
    assert.ok(calId, 'the default calendar was listed through the connector');
  });
  after(async () => {
    await h?.store.close();
    await emu?.close();
  });

  it('a first settle makes the store equal the emulator: series, exceptions, cancellations, all-day, Windows zones', async () => {
    const r = await settle(h.deps, h.tenantId, [calId]);
    assert.equal(r.written, 0);
    const rows = await storeRows();
    assert.deepEqual(rows.find((x) => x.id === ids.weekly)!.exdates, ['2026-12-16']);
    assert.equal(rows.find((x) => x.title === 'team sync (moved)')!.originalStart, '2026-12-14T08:00:00.000Z');
    assert.equal(rows.find((x) => x.id === ids.holiday)!.start, '2026-12-10');
    assert.equal(rows.find((x) => x.id === ids.india)!.start, '2026-12-08T10:00:00.000Z');
    await assertStoreEqualsEmulator();
  });

  it('after the first settle the busy index equals getSchedule (all-day events at midnight in the mailbox zone)', async () => {
    const { view } = await schedule();
    assert.match(view, /(?=.*1)(?=.*2)(?=.*3)(?=.*4)/, 'the window should hold every kind of busy');
    await assertBusyEqualsSchedule();
  });

  it('edits, cancellations and deletes made in Outlook converge after the next settle', async () => {
    const weekly = await instances(ids.weekly!);
    ctl().updateEvent({ userId, id: ids.weekly!, patch: { subject: 'team sync v2' } });
    ctl().deleteEvent({ userId, id: weekly.find((i) => i.type === 'occurrence' && i.start.dateTime.startsWith('2026-12-21'))!.id });
    ctl().updateEvent({ userId, id: weekly.find((i) => i.start.dateTime.startsWith('2026-12-23'))!.id, patch: { showAs: 'free' } });
    ctl().deleteEvent({ userId, id: ids.monthly! });
    ctl().deleteEvent({ userId, id: ids.holiday! });
    ctl().updateEvent({ userId, id: ids.daily!, patch: { showAs: 'busy' } });
    ids.added = create({ subject: 'new in Outlook', start: t('2027-01-12T10:00:00', 'GMT Standard Time'), end: t('2027-01-12T11:00:00', 'GMT Standard Time') });
    ctl().replayNext({ count: 2 });
    await settle(h.deps, h.tenantId, [calId]);
    const rows = await storeRows();
    assert.equal(rows.some((x) => x.id === ids.monthly || x.id === ids.holiday), false);
    assert.equal(rows.find((x) => x.id === ids.weekly)!.title, 'team sync v2');
    await assertStoreEqualsEmulator();
  });

  it('after the edits the busy index equals getSchedule', async () => {
    await assertBusyEqualsSchedule();
  });

  it('a hub-side create reaches the emulator, and settling again writes nothing', async () => {
    const writer = new EventWriterService(h.deps);
    await writer.create(h.tenantId, calId, parseEvent({ uid: 'hub-made-1@calhub.test', title: 'made in the hub', start: { dateTime: '2026-12-17T13:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-17T14:00:00Z', timeZone: 'Europe/Berlin' } }));
    const r = await settle(h.deps, h.tenantId, [calId]);
    assert.equal(r.written, 1);
    const held = (await emulatorRows()).filter((x) => x.title === 'made in the hub');
    assert.equal(held.length, 1, 'the emulator holds the hub-made event once');
    await assertStoreEqualsEmulator();
    ctl().clearRequests();
    const again = await settle(h.deps, h.tenantId, [calId]);
    assert.equal(writes(), 0, 'a second settle made provider writes');
    assert.equal(again.written, 0);
  });

  it('expired access tokens are refreshed once, the rotated refresh token is persisted, the sync succeeds', async () => {
    const before = await storedCredentials(h);
    ctl().updateEvent({ userId, id: ids.india!, patch: { subject: 'Bangalore review (after refresh)' } });
    ctl().expireAccessTokens({ userId });
    readToken = ctl().issueToken({ userId, clientId: 'schedule-reader' }).accessToken;
    ctl().clearRequests();
    await settle(h.deps, h.tenantId, [calId]);
    // Each refresh follows exactly one 401 (the identity endpoints are not in the request log).
    assert.equal(ctl().requests().filter((r) => r.status === 401).length, 1);
    const after = await storedCredentials(h);
    assert.notEqual(after.refreshToken, before.refreshToken, 'the rotated refresh token was not persisted');
    assert.notEqual(after.accessToken, before.accessToken);
    await assertStoreEqualsEmulator();
  });

  it('a revoked grant makes settle reject with GrantRevokedError', async () => {
    ctl().revokeGrants({ userId });
    await assert.rejects(settle(h.deps, h.tenantId, [calId]), GrantRevokedError);
  });
});
