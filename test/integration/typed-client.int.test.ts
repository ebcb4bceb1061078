/**
 * The typed client's README example (clients/typescript/example.ts) against a real hub: a tenant's
 * Radicale calendar connected and synced, the API served over HTTP, the example finds a free slot
 * with /v1/availability and books it; the booking reaches the Radicale server.
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
  // Someone else's standup, 09:00–10:00 Berlin on Monday 2026-12-07: the first free half hour is 10:00.
  await putEvent(server, calUrl, { uid: 'standup@other-client', summary: 'Standup', start: 'DTSTART:20261207T080000Z', end: 'DTEND:20261207T090000Z' });
  const { tenant, apiKey } = await store.tenants.create('acme');
  const { calendars } = await connectCaldav(hub, tenant.id, { serverUrl: server.url, username: server.username, password: server.password });
  const cal = calendars.find((c) => c.name === 'work')!;
  await settle(hub.deps, tenant.id, [cal.id]);

  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const booked = await bookFirstFreeSlot(baseUrl, apiKey, cal.id, '2026-12-07');
  assert.ok(booked);
  assert.deepEqual(booked.start, { dateTime: '2026-12-07T10:00:00+01:00', timeZone: 'Europe/Berlin' });
  assert.deepEqual(booked.end, { dateTime: '2026-12-07T10:30:00+01:00', timeZone: 'Europe/Berlin' });

  await settle(hub.deps, tenant.id, [cal.id]);
  const onServer = (await serverObjects(server, calUrl)).flatMap((o) => o.events);
  const mine = onServer.filter((e) => e.title === 'Booked via calhub');
  assert.equal(mine.length, 1);
  assert.equal(new Date((mine[0]!.start as { dateTime: string }).dateTime).toISOString(), '2026-12-07T09:00:00.000Z');

  // The client's types hold what the server answers: the slot is now busy, the next one is 10:30.
  const calhub = createCalhubClient({ baseUrl, apiKey });
  const { data, error } = await calhub.POST('/v1/freebusy', { body: { calendarIds: [cal.id], timeMin: '2026-12-07T00:00:00Z', timeMax: '2026-12-08T00:00:00Z' } });
  assert.equal(error, undefined);
  assert.deepEqual(data!.merged, [{ start: '2026-12-07T08:00:00.000Z', end: '2026-12-07T09:30:00.000Z' }]);
  const listed = await calhub.GET('/v1/calendars/{id}/events', { params: { path: { id: cal.id }, query: { q: 'booked', limit: '10' } } });
  assert.deepEqual(listed.data!.items.map((e) => ('title' in e ? e.title : null)), ['Booked via calhub']);
  const refused = await calhub.GET('/v1/calendars/{id}/events', { params: { path: { id: 'cal_nope' } } });
  assert.equal(refused.error?.error.code, 'NOT_FOUND');
});
