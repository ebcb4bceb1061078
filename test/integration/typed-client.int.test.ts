/**
 * The typed client's README example (clients/typescript/example.ts) against a real hub: a tenant's
 * Radicale calendar connected and synced, the API served over HTTP, the example finds a free slot
 * with /v1/availability and books it; the booking reaches the Radicale server. One occurrence of a
 * series moved and another cancelled through the client reach it too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { buildApp } from '../../api/app.ts';
import { bookFirstFreeSlot } from '../../clients/typescript/example.ts';
import { createCalhubClient } from '../../clients/typescript/index.ts';
import { connectCaldav, openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics } from '../../shared/metrics.ts';
import { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { putEvent, serverObjects } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';

/**
 * The Monday the bookings are made on: real dates, since availability offers no slot before now.
 * One in Berlin's winter time (+01:00, which the answers below spell out), at least two days ahead.
 */
const MONDAY = (() => {
  const DAY_MS = 86_400_000;
  for (let t = Date.now() + 2 * DAY_MS; ; t += DAY_MS) {
    const d = new Date(t);
    const month = d.getUTCMonth() + 1;
    // Mondays from 1 Nov to 20 Feb: their whole week is in winter time.
    if (d.getUTCDay() === 1 && (month >= 11 || month <= 1 || (month === 2 && d.getUTCDate() <= 20))) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  }
})();
/** `YYYY-MM-DD` of MONDAY + n days; basic(n): `YYYYMMDD`. */
const day = (n: number) => new Date(MONDAY + n * 86_400_000).toISOString().slice(0, 10);
const basic = (n: number) => day(n).replace(/-/g, '');

let server: DavServer;
let store: Store;
let hub: Hub;
let app: Awaited<ReturnType<typeof buildApp>>;

before(async () => {
  server = await startRadicale();
  store = await Store.open({ dataDir: null });
  await store.migrate();
  hub = await openHub({
    store,
    config: loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', LOG_LEVEL: 'silent' }),
    keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    metrics: createMetrics(),
    logger: createLogger({ level: 'silent' }),
    queue: 'none',
  });
  app = await buildApp({ hub, probes: [] });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

after(async () => {
  await app?.close();
  await hub?.close();
  await store?.close();
  await server?.stop();
});

test('the README example books a slot found by /v1/availability, and the booking reaches Radicale', async () => {
  const calUrl = await makeCalendar(server, 'work');
  // Someone else's standup, 09:00–10:00 Berlin on a Monday in winter time (the next one at least two days ahead): the first free half hour is 10:00.
  await putEvent(server, calUrl, { uid: 'standup@other-client', summary: 'Standup', start: `DTSTART:${basic(0)}T080000Z`, end: `DTEND:${basic(0)}T090000Z` });
  const { tenant, apiKey } = await store.tenants.create('acme');
  const { calendars } = await connectCaldav(hub, tenant.id, { serverUrl: server.url, username: server.username, password: server.password });
  const cal = calendars.find((c) => c.name === 'work')!;
  await settle(hub.deps, tenant.id, [cal.id]);

  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const booked = await bookFirstFreeSlot(baseUrl, apiKey, cal.id, day(0));
  assert.ok(booked);
  assert.deepEqual(booked.start, { dateTime: `${day(0)}T10:00:00+01:00`, timeZone: 'Europe/Berlin' });
  assert.deepEqual(booked.end, { dateTime: `${day(0)}T10:30:00+01:00`, timeZone: 'Europe/Berlin' });

  await settle(hub.deps, tenant.id, [cal.id]);
  const onServer = (await serverObjects(server, calUrl)).flatMap((o) => o.events);
  const mine = onServer.filter((e) => e.title === 'Booked via calhub');
  assert.equal(mine.length, 1);
  assert.equal(new Date((mine[0]!.start as { dateTime: string }).dateTime).toISOString(), `${day(0)}T09:00:00.000Z`);

  // The client's types hold what the server answers: the slot is now busy, the next one is 10:30.
  const calhub = createCalhubClient({ baseUrl, apiKey });
  const { data, error } = await calhub.POST('/v1/freebusy', { body: { calendarIds: [cal.id], timeMin: `${day(0)}T00:00:00Z`, timeMax: `${day(1)}T00:00:00Z` } });
  assert.equal(error, undefined);
  assert.deepEqual(data!.merged, [{ start: `${day(0)}T08:00:00.000Z`, end: `${day(0)}T09:30:00.000Z` }]);
  const listed = await calhub.GET('/v1/calendars/{id}/events', { params: { path: { id: cal.id }, query: { q: 'booked', limit: 10 } } });
  assert.deepEqual(listed.data!.items.map((e) => ('title' in e ? e.title : null)), ['Booked via calhub']);
  const refused = await calhub.GET('/v1/calendars/{id}/events', { params: { path: { id: 'cal_nope' } } });
  assert.equal(refused.error?.error.code, 'NOT_FOUND');
});

test('one occurrence moved and another cancelled through the API reach Radicale as an override and an EXDATE, and read back the same', async () => {
  const calUrl = await makeCalendar(server, 'team');
  const { tenant, apiKey } = await store.tenants.create('occurrences');
  const { calendars } = await connectCaldav(hub, tenant.id, { serverUrl: server.url, username: server.username, password: server.password });
  const cal = calendars.find((c) => c.name === 'team')!;
  const calhub = createCalhubClient({ baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, apiKey });
  const berlin = (wall: string) => ({ dateTime: wall, timeZone: 'Europe/Berlin' });
  const made = await calhub.POST('/v1/calendars/{id}/events', {
    params: { path: { id: cal.id } },
    body: { title: 'Standup', start: berlin(`${day(0)}T09:30:00`), end: berlin(`${day(0)}T09:45:00`), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } },
  });
  assert.equal(made.error, undefined);
  await settle(hub.deps, tenant.id, [cal.id]);
  const week = { timeMin: `${day(0)}T00:00:00Z`, timeMax: `${day(5)}T00:00:00Z` };
  const listed = async () => (await calhub.GET('/v1/calendars/{id}/events', { params: { path: { id: cal.id }, query: week } })).data!.items.map((i) => ('originalStartKey' in i ? [i.start, i.title] : []));
  const keys = (await calhub.GET('/v1/calendars/{id}/events', { params: { path: { id: cal.id }, query: week } })).data!.items.map((i) => ('originalStartKey' in i ? i.originalStartKey : ''));

  const moved = await calhub.PATCH('/v1/events/{id}/occurrences/{key}', {
    params: { path: { id: made.data!.id, key: keys[1]! } },
    body: { title: 'Standup (late)', start: berlin(`${day(1)}T11:00:00`), end: berlin(`${day(1)}T11:15:00`) },
  });
  assert.equal(moved.error, undefined);
  assert.deepEqual(moved.data!.originalStart, berlin(`${day(1)}T09:30:00+01:00`));
  const cancelled = await calhub.DELETE('/v1/events/{id}/occurrences/{key}', { params: { path: { id: made.data!.id, key: keys[3]! } } });
  assert.equal(cancelled.response.status, 204);
  const expected = [
    [`${day(0)}T09:30:00+01:00`, 'Standup'],
    [`${day(1)}T11:00:00+01:00`, 'Standup (late)'],
    [`${day(2)}T09:30:00+01:00`, 'Standup'],
    [`${day(4)}T09:30:00+01:00`, 'Standup'],
  ];
  assert.deepEqual(await listed(), expected);

  await settle(hub.deps, tenant.id, [cal.id]);
  // One resource on the server: the master with its EXDATE and the moved instance with its RECURRENCE-ID.
  const [object, ...others] = await serverObjects(server, calUrl);
  assert.equal(others.length, 0);
  const master = object!.events.find((e) => e.originalStart === null)!;
  assert.deepEqual(master.recurrence?.exdates.map((x) => new Date((x as { dateTime: string }).dateTime).toISOString()), [`${day(3)}T08:30:00.000Z`]);
  const override = object!.events.find((e) => e.originalStart !== null)!;
  assert.equal(override.title, 'Standup (late)');
  assert.equal(new Date((override.originalStart as { dateTime: string }).dateTime).toISOString(), `${day(1)}T08:30:00.000Z`);
  assert.equal(new Date((override.start as { dateTime: string }).dateTime).toISOString(), `${day(1)}T10:00:00.000Z`);

  // The pull after the push read the resource back: the same week, nothing left to write.
  assert.deepEqual(await listed(), expected);
  const pending = await calhub.GET('/v1/calendars/{id}/writes', { params: { path: { id: cal.id } } });
  assert.deepEqual(pending.data!.items, []);
});
