/**
 * Free/busy during a PostgreSQL outage (the connection cut by a TCP forwarder): it answered 503
 * STORE_UNAVAILABLE although the process held the spans in memory. Now a request whose calendars
 * the store confirmed within API_FREEBUSY_STALE_MAX_S is answered from the cache, marked stale
 * with its age; anything the cache cannot prove (another tenant's calendar, one never asked,
 * named accounts, explain) stays 503, and an API key is still honoured only within the key cache
 * time of its last verification, so a key revoked just before the outage stops working on time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { tcpForward, type TcpForward } from '../test/support/tcp-forward.ts';
import { buildApp } from './app.ts';
import { at, call, ev, json, PG_ENV, seed, startTestApi, type TestApi } from './test-support.ts';

const PG = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const KEY_CACHE_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('free/busy during a store outage', () => {
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
    api = await startTestApi({ keyCacheMs: KEY_CACHE_MS, limits: { freeBusyStaleMaxMs: 60_000 } });
    // A second API on the same hub that allows answers at most 1 s old.
    strict = await buildApp({ hub: api.hub, limits: { freeBusyStaleMaxMs: 1000 } });
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'standup', start: at('2026-12-14T09:00:00Z'), end: at('2026-12-14T09:30:00Z') }), ev({ uid: 'review', start: at('2026-12-15T13:00:00Z'), end: at('2026-12-15T14:00:00Z') }));
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

  const day1 = { calendarIds: [] as string[], timeMin: '2026-12-14T00:00:00Z', timeMax: '2026-12-15T00:00:00Z' };
  const week = { timeMin: '2026-12-13T00:00:00Z', timeMax: '2026-12-20T00:00:00Z' };
  const fb = (body: object, key = api.a.key) => call(api, 'POST', '/v1/freebusy', { key, body });
  const unavailable = (r: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) => {
    assert.equal(r.statusCode, 503, `${what}: ${r.body}`);
    assert.equal(json<{ error: { code: string } }>(r as never).error.code, 'STORE_UNAVAILABLE', what);
    assert.equal(r.headers['x-calhub-stale'], undefined, what);
    assert.doesNotMatch(r.body, /busy/, what);
  };

  it('answers from the cache, marked stale with its age, only what the store confirmed for this tenant, within the bounds', async () => {
    const mine = { ...day1, calendarIds: [api.a.calendarId] };
    const strictFb = (body: object) => strict.inject({ method: 'POST', url: '/v1/freebusy', headers: { authorization: `Bearer ${api.a.key}` }, payload: body });
    const neverAsked = (await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'never-asked', name: 'N', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
    // A second key of tenant a, verified once, then revoked before the outage.
    const { key: revokedInfo, apiKey: revoked } = await api.store.tenants.addApiKey(api.a.id);
    const revokedVerified = Date.now();
    assert.equal((await fb(mine, revoked)).statusCode, 200);
    await api.store.tenants.revokeApiKey(api.a.id, revokedInfo.id);
    assert.equal((await strictFb(mine)).statusCode, 200);
    const fresh = await fb(mine);
    assert.equal(fresh.statusCode, 200, fresh.body);
    assert.equal(fresh.headers['x-calhub-stale'], undefined);
    assert.equal(fresh.headers.age, undefined);
    assert.match(fresh.body, /"start":"2026-12-14T09:00:00.000Z"/);
    const freshWeek = await fb({ ...week, calendarIds: [api.a.calendarId] });
    assert.equal(freshWeek.statusCode, 200, freshWeek.body);
    assert.equal((await fb({ ...day1, calendarIds: [api.b.calendarId] }, api.b.key)).statusCode, 200, 'tenant b asked for its own calendar');
    const keyVerified = Date.now();

    await forward.cut();
    const stale = await fb(mine);
    assert.equal(stale.statusCode, 200, stale.body);
    assert.equal(stale.body, fresh.body, 'the same answer as before the outage');
    assert.equal(stale.headers['x-calhub-stale'], 'store-unavailable');
    const age = Number(stale.headers.age);
    assert.ok(Number.isInteger(age) && age >= 0 && age <= Math.ceil((Date.now() - keyVerified) / 1000) + 1, `age ${stale.headers.age}`);
    const staleWeek = await fb({ ...week, calendarIds: [api.a.calendarId] });
    assert.equal(staleWeek.statusCode, 200, staleWeek.body);
    assert.equal(staleWeek.body, freshWeek.body);
    assert.equal(staleWeek.headers['x-calhub-stale'], 'store-unavailable');
    // The store confirmed b's calendar for tenant b only: never served to a, nor told apart from unknown.
    unavailable(await fb({ ...day1, calendarIds: [api.b.calendarId] }), 'another tenant\'s calendar');
    unavailable(await fb({ ...day1, calendarIds: [api.a.calendarId, neverAsked] }), 'a calendar never asked');
    unavailable(await fb({ ...mine, explain: true }), 'explain (event titles are in the store)');
    unavailable(await fb({ ...day1, accountIds: [api.a.accountId] }), 'named accounts');
    // Past 1 s since the store last confirmed it: the strict API's bound is passed, the other's is not.
    await sleep(keyVerified + 1200 - Date.now());
    unavailable(await strictFb(mine), 'older than the strict API allows');
    const older = await fb(mine);
    assert.equal(older.statusCode, 200, older.body);
    assert.ok(Number(older.headers.age) >= 1, `age ${older.headers.age}`);
    assert.ok(Date.now() - keyVerified < KEY_CACHE_MS, 'the checks above ran within the key cache time; the machine is too slow for this test');

    // No key is verified during the outage: once its last check is older than the key cache time, it is refused.
    await sleep(Math.max(revokedVerified, keyVerified) + KEY_CACHE_MS + 300 - Date.now());
    unavailable(await fb(mine, revoked), 'a key revoked before the outage, past the key cache time');
    unavailable(await fb(mine), 'a valid key past the key cache time (it cannot be verified)');

    await forward.restore();
    const back = await fb(mine);
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.headers['x-calhub-stale'], undefined);
    assert.equal((await fb(mine, revoked)).statusCode, 401, 'the revoked key, checked again');
    const lines = api.logs.map((l) => JSON.parse(l) as { msg: string; err?: unknown });
    assert.ok(!lines.some((l) => l.err), `no stack while the outage is known: ${JSON.stringify(lines.filter((l) => l.err)).slice(0, 500)}`);
  });
});
