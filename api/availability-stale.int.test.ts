/**
 * Availability during a PostgreSQL outage (the connection cut by a TCP forwarder): free/busy was
 * answered from the busy cache (freebusy-stale.int.test.ts) but availability, which reads the same
 * spans, answered 503 STORE_UNAVAILABLE. Now it follows free/busy's rules: calendars the store
 * confirmed for this tenant within API_FREEBUSY_STALE_MAX_S are answered from the cache, marked
 * stale with their age; named accounts, another tenant's calendar or one never asked stay 503, and
 * so does everything once the confirmation is older than the bound.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { tcpForward, type TcpForward } from '../test/support/tcp-forward.ts';
import { buildApp } from './app.ts';
import { at, call, ev, json, PG_ENV, seed, startTestApi, type TestApi } from './test-support.ts';

const PG = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('availability during a store outage', () => {
  let api: TestApi;
  let strict: FastifyInstance;
  let forward: TcpForward;
  const saved = process.env[PG_ENV];
  before(async () => {
    forward = await tcpForward(PG.hostname, Number(PG.port || 5432));
    const u = new URL(PG);
    u.hostname = '127.0.0.1';
    u.port = String(forward.port);
    process.env[PG_ENV] = u.toString();
    // The key cache outlasts the test: what is checked here is the busy cache's bound, not the key's.
    api = await startTestApi({ keyCacheMs: 120_000, limits: { freeBusyStaleMaxMs: 60_000 } });
    // A second API on the same hub that allows answers at most 1 s old.
    strict = await buildApp({ hub: api.hub, limits: { freeBusyStaleMaxMs: 1000 } });
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'standup', start: at('2026-12-14T09:00:00Z'), end: at('2026-12-14T09:30:00Z') }));
    await seed(api.store, api.b.id, api.b.calendarId, ev({ uid: 'secret', start: at('2026-12-14T10:00:00Z'), end: at('2026-12-14T11:00:00Z') }));
  });
  after(async () => {
    await forward?.restore();
    await strict?.close();
    await api?.close();
    await forward?.close();
    if (saved === undefined) delete process.env[PG_ENV];
    else process.env[PG_ENV] = saved;
  });

  const hours = { timeZone: 'Europe/Berlin', days: { mon: [{ start: '09:00', end: '12:00' }] } };
  const ask = (participants: object[]) => ({ participants, durationMinutes: 30, stepMinutes: 30, timeMin: '2026-12-14T00:00:00Z', timeMax: '2026-12-15T00:00:00Z' });
  const avail = (body: object, key = api.a.key) => call(api, 'POST', '/v1/availability', { key, body });
  const unavailable = (r: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) => {
    assert.equal(r.statusCode, 503, `${what}: ${r.body}`);
    assert.equal(json<{ error: { code: string } }>(r as never).error.code, 'STORE_UNAVAILABLE', what);
    assert.equal(r.headers['x-calhub-stale'], undefined, what);
    assert.doesNotMatch(r.body, /slots/, what);
  };

  it('answers from the cache, marked stale with its age, only what the store confirmed for this tenant, within the bounds', async () => {
    const mine = ask([{ id: 'ann', calendarIds: [api.a.calendarId], workingHours: hours }]);
    const strictAvail = (body: object) => strict.inject({ method: 'POST', url: '/v1/availability', headers: { authorization: `Bearer ${api.a.key}` }, payload: body });
    const neverAsked = (await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'never-asked', name: 'N', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
    assert.equal((await strictAvail(mine)).statusCode, 200);
    const fresh = await avail(mine);
    assert.equal(fresh.statusCode, 200, fresh.body);
    assert.equal(fresh.headers['x-calhub-stale'], undefined);
    assert.equal(fresh.headers.age, undefined);
    // Berlin 09:00–12:00 is 08:00–11:00Z; the standup (09:00–09:30Z) blocks its slot.
    const starts = json<{ slots: Array<{ start: string }> }>(fresh).slots.map((s) => s.start);
    assert.deepEqual(starts, ['2026-12-14T08:00:00.000Z', '2026-12-14T08:30:00.000Z', '2026-12-14T09:30:00.000Z', '2026-12-14T10:00:00.000Z', '2026-12-14T10:30:00.000Z']);
    assert.equal((await avail(ask([{ calendarIds: [api.b.calendarId] }]), api.b.key)).statusCode, 200, 'tenant b asked for its own calendar');
    const confirmed = Date.now();

    await forward.cut();
    const stale = await avail(mine);
    assert.equal(stale.statusCode, 200, stale.body);
    assert.equal(stale.body, fresh.body, 'the same answer as before the outage');
    assert.equal(stale.headers['x-calhub-stale'], 'store-unavailable');
    const age = Number(stale.headers.age);
    assert.ok(Number.isInteger(age) && age >= 0 && age <= Math.ceil((Date.now() - confirmed) / 1000) + 1, `age ${stale.headers.age}`);
    // Free/busy of a calendar availability confirmed comes from the cache too: one record of both.
    const fb = await call(api, 'POST', '/v1/freebusy', { key: api.a.key, body: { calendarIds: [api.a.calendarId], timeMin: '2026-12-14T00:00:00Z', timeMax: '2026-12-15T00:00:00Z' } });
    assert.equal(fb.statusCode, 200, fb.body);
    assert.equal(fb.headers['x-calhub-stale'], 'store-unavailable');
    unavailable(await avail(ask([{ calendarIds: [api.b.calendarId] }])), "another tenant's calendar");
    unavailable(await avail(ask([{ calendarIds: [api.a.calendarId] }, { calendarIds: [neverAsked] }])), 'a calendar never asked');
    unavailable(await avail(ask([{ accountIds: [api.a.accountId] }])), 'named accounts');
    // Past 1 s since the store last confirmed it: the strict API's bound is passed, the other's is not.
    await sleep(confirmed + 1200 - Date.now());
    unavailable(await strictAvail(mine), 'older than the strict API allows');
    const older = await avail(mine);
    assert.equal(older.statusCode, 200, older.body);
    assert.ok(Number(older.headers.age) >= 1, `age ${older.headers.age}`);

    await forward.restore();
    const back = await avail(mine);
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.headers['x-calhub-stale'], undefined);
    assert.equal(back.body, fresh.body);
    const lines = api.logs.map((l) => JSON.parse(l) as { msg: string; err?: unknown });
    assert.ok(!lines.some((l) => l.err), `no stack while the outage is known: ${JSON.stringify(lines.filter((l) => l.err)).slice(0, 500)}`);
  });
});
