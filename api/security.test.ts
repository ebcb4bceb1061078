import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { syncRepo } from '../shared/store/index.ts';
import { API_ERRORS } from './errors.ts';
import { routesOf } from './route-list.ts';
import { call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };

const BACK = 'https://tenant.example.com/connected';

describe('API security and errors', () => {
  let api: TestApi;
  let eventA: string;
  let calendarA2: string;
  let conflictA: string;
  let ruleA: string;
  let webhookA: string;

  before(async () => {
    api = await startTestApi({ rateLimit: { perSecond: 1000, burst: 1000 }, failedAuthLimit: { perSecond: 1000, burst: 1000 } });
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'secret-meeting', title: 'Acquisition of Initech' }));
    const stored = (await api.store.tenant(api.a.id).events.list(api.a.calendarId))[0]!;
    eventA = stored.id;
    const [cal2] = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'second', name: 'alpha home', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
    calendarA2 = cal2!.id;
    // A parked conflict as a pull records one when both sides changed the same field.
    const renamed = { ...stored.event, title: 'Acquisition of Initech (final)' };
    await api.store.tenant(api.a.id).transaction((t) =>
      t.conflicts.record(api.a.calendarId, [{ uid: 'secret-meeting', remoteId: stored.remoteId, policy: 'manual', fields: ['title'], base: [stored.event], local: [renamed], remote: [stored.event], outcome: 'parked' }]),
    );
    conflictA = (await syncRepo.conflictsList(api.store.db, api.a.id))[0]!.id;
    const rule = await call(api, 'POST', '/v1/rules', { body: { sourceCalendarId: api.a.calendarId, targetCalendarId: calendarA2, mode: 'busy-block' } });
    assert.equal(rule.statusCode, 201, rule.body);
    ruleA = json<{ id: string }>(rule).id;
    const hook = await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/alpha-hook', events: ['*'] } });
    assert.equal(hook.statusCode, 201, hook.body);
    webhookA = json<{ id: string }>(hook).id;
    // Both tenants allow the same redirect URI, so B's requests naming A's account reach the account check.
    for (const key of [api.a.key, api.b.key]) {
      const allowed = await call(api, 'POST', '/v1/oauth/redirect-uris', { key, body: { uri: BACK } });
      assert.equal(allowed.statusCode, 200, allowed.body);
    }
  });
  after(() => api.close());

  const win = { timeMin: '2026-11-09T00:00:00Z', timeMax: '2026-11-12T00:00:00Z' };
  const idsOfA = () => [api.a.accountId, api.a.calendarId, calendarA2, eventA, conflictA, ruleA, webhookA];
  const routes = (): Array<[method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown]> => [
    ['GET', '/v1/accounts'],
    ['GET', `/v1/accounts/${api.a.accountId}`],
    ['GET', '/v1/calendars'],
    ['GET', `/v1/calendars?accountId=${api.a.accountId}`],
    ['GET', `/v1/calendars/${api.a.calendarId}`],
    ['GET', `/v1/calendars/${api.a.calendarId}/quarantine`],
    ['GET', `/v1/calendars/${api.a.calendarId}/writes`],
    ['GET', `/v1/calendars/${api.a.calendarId}/events`],
    ['GET', `/v1/calendars/${api.a.calendarId}/events?timeMin=${win.timeMin}&timeMax=${win.timeMax}`],
    ['GET', `/v1/events/${eventA}`],
    ['POST', `/v1/calendars/${api.a.calendarId}/events`, ev({ uid: 'intruder' })],
    ['PATCH', `/v1/events/${eventA}`, { title: 'hacked' }],
    ['DELETE', `/v1/events/${eventA}`],
    ['GET', `/v1/events/${eventA}/occurrences/2026-11-10T09:00:00Z`],
    ['PATCH', `/v1/events/${eventA}/occurrences/2026-11-10T09:00:00Z`, { title: 'hacked' }],
    ['DELETE', `/v1/events/${eventA}/occurrences/2026-11-10T09:00:00Z`],
    ['POST', `/v1/events/${eventA}/rsvp`, { response: 'declined' }],
    ['POST', `/v1/events/${eventA}/occurrences/2026-11-10T09:00:00Z/rsvp`, { response: 'declined' }],
    ['PATCH', `/v1/events/${eventA}/occurrences/2026-11-10T09:00:00Z/following`, { title: 'hacked' }],
    ['DELETE', `/v1/events/${eventA}/occurrences/2026-11-10T09:00:00Z/following`],
    ['POST', '/v1/freebusy', { calendarIds: [api.a.calendarId], ...win }],
    ['POST', '/v1/freebusy', { accountIds: [api.a.accountId], ...win }],
    ['POST', '/v1/availability', { participants: [{ calendarIds: [api.a.calendarId] }], durationMinutes: 30, ...win }],
    ['POST', '/v1/availability', { participants: [{ accountIds: [api.a.accountId] }], durationMinutes: 30, ...win }],
    ['GET', '/v1/conflicts'],
    ['GET', '/v1/conflicts?open=true'],
    ['GET', '/v1/conflicts?status=open'],
    ['GET', `/v1/conflicts/${conflictA}`],
    ['POST', `/v1/conflicts/${conflictA}/resolve`, { take: 'local' }],
    ['GET', '/v1/rules'],
    ['POST', '/v1/rules', { sourceCalendarId: api.a.calendarId, targetCalendarId: calendarA2, mode: 'full-copy' }],
    // Half foreign: B's own calendar as the source must not let B write into A's calendar.
    ['POST', '/v1/rules', { sourceCalendarId: api.b.calendarId, targetCalendarId: api.a.calendarId, mode: 'full-copy' }],
    ['POST', '/v1/rules', { sourceCalendarId: api.a.calendarId, targetCalendarId: api.b.calendarId, mode: 'full-copy' }],
    ['GET', `/v1/rules/${ruleA}`],
    ['PATCH', `/v1/rules/${ruleA}`, { paused: true }],
    ['DELETE', `/v1/rules/${ruleA}`],
    ['GET', '/v1/webhooks'],
    ['POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/other', events: ['*'] }],
    ['GET', `/v1/webhooks/${webhookA}`],
    ['PATCH', `/v1/webhooks/${webhookA}`, { url: 'http://127.0.0.1:9/stolen' }],
    ['POST', `/v1/webhooks/${webhookA}/rotate-secret`, {}],
    ['POST', `/v1/webhooks/${webhookA}/retire-previous-secret`, {}],
    ['POST', `/v1/webhooks/${webhookA}/test`, {}],
    ['GET', `/v1/webhooks/${webhookA}/deliveries`],
    ['POST', `/v1/webhooks/${webhookA}/replay`, { since: '2026-01-01T00:00:00Z' }],
    ['DELETE', `/v1/webhooks/${webhookA}`],
    ['POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read', accountId: api.a.accountId }],
    ['POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read', accountId: api.a.accountId }],
    ['GET', '/v1/oauth/redirect-uris'],
    ['POST', '/v1/oauth/redirect-uris', { uri: 'https://other.example.com/back' }],
    ['DELETE', '/v1/oauth/redirect-uris', { uri: BACK }],
    ['PUT', '/v1/oauth/google/app', { clientId: 'stolen-app', clientSecret: 'x' }],
    ['GET', '/v1/oauth/google/app'],
    ['PUT', '/v1/oauth/google/app/retired-clients/replaced-app', { clientSecret: 'x' }],
    ['DELETE', '/v1/oauth/google/app'],
    ['POST', '/v1/accounts/caldav', { url: 'https://dav.example.com/', username: 'u', password: 'p' }],
    ['POST', `/v1/accounts/${api.a.accountId}/resync`, {}],
    ['POST', `/v1/accounts/${api.a.accountId}/calendars`, { name: 'planted' }],
    ['PATCH', `/v1/calendars/${api.a.calendarId}`, { countsForBusy: false }],
    ['PATCH', `/v1/calendars/${api.a.calendarId}`, { conflictPolicy: 'hub-wins' }],
    // Switching another tenant's calendar off, its parked deletes dropped, is as unknown as any.
    ['PATCH', `/v1/calendars/${api.a.calendarId}`, { syncEnabled: false, dropParkedDeletes: true }],
    ['DELETE', `/v1/calendars/${calendarA2}`],
    ['DELETE', `/v1/accounts/${api.a.accountId}`],
  ];

  it('the matrix below covers every /v1 route the app serves', () => {
    const pattern = (url: string) => [...idsOfA(), api.b.calendarId].reduce((u, id) => u.replaceAll(id, ':id'), url.split('?')[0]!).replace(/^\/v1\/oauth\/google\//, '/v1/oauth/:provider/').replace(/\/retired-clients\/[^/]+$/, '/retired-clients/:clientId').replace(/\/occurrences\/[^/]+(\/rsvp|\/following)?$/, '/occurrences/:key$1');
    const covered = new Set(routes().map(([m, u]) => `${m} ${pattern(u)}`));
    const served = routesOf(api.app).filter((r) => r.url.startsWith('/v1/')).map((r) => `${r.method} ${r.url}`);
    assert.ok(served.length >= 16, `only ${served.length} /v1 routes registered`);
    assert.deepEqual(served.filter((r) => !covered.has(r)), [], 'routes missing from the auth and cross-tenant matrix');
  });

  it('every /v1 route answers 401 UNAUTHENTICATED without a key, with a wrong key or a malformed header', async () => {
    for (const [method, url, body] of routes()) {
      for (const headers of [{} as Record<string, string>, { authorization: `Bearer ${api.a.key}x` }, { authorization: api.a.key }, { authorization: `Basic ${api.a.key}` }, { authorization: 'Bearer ' }]) {
        const r = await call(api, method, url, { key: null, body, headers });
        assert.equal(r.statusCode, 401, `${method} ${url} ${JSON.stringify(Object.keys(headers))}`);
        assert.equal(json<Err>(r).error.code, 'UNAUTHENTICATED');
        assert.equal(r.headers['www-authenticate'], 'Bearer');
      }
    }
  });

  it('another tenant gets 404 NOT_FOUND on every id-taking route, the same answer as for an id that does not exist', async () => {
    const fakes = ['acc_nope', 'cal_nope', 'cal_nope2', 'evt_nope', 'cfl_nope', 'rule_nope', 'whe_nope'];
    const ghost = (u: string) => idsOfA().reduce((out, id, i) => out.replaceAll(id, fakes[i]!), u);
    const conflictBefore = await syncRepo.conflictGet(api.store.db, api.a.id, conflictA);
    let attacked = 0;
    for (const [method, url, body] of routes()) {
      if (!idsOfA().some((id) => url.includes(id) || JSON.stringify(body ?? '').includes(id))) continue;
      attacked += 1;
      const r = await call(api, method, url, { key: api.b.key, body });
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
      assert.equal(json<Err>(r).error.code, 'NOT_FOUND');
      assert.ok(!r.body.includes('Initech') && !r.body.includes('alpha'), `${method} ${url} leaked: ${r.body}`);
      const g = await call(api, method, ghost(url), { key: api.b.key, body: body === undefined ? undefined : JSON.parse(ghost(JSON.stringify(body))) });
      assert.equal(g.statusCode, 404);
      assert.equal(ghost(r.body), g.body, 'a foreign id must look exactly like a missing one');
    }
    assert.ok(attacked >= 14, `only ${attacked} id-taking requests tried`);
    const stored = await api.store.tenant(api.a.id).events.get(eventA);
    assert.equal(stored?.event.title, 'Acquisition of Initech', 'a cross-tenant write changed the event');
    assert.equal((await api.store.tenant(api.a.id).events.list(api.a.calendarId)).length, 1);
    assert.deepEqual(await syncRepo.conflictGet(api.store.db, api.a.id, conflictA), conflictBefore, 'a cross-tenant resolve changed the conflict');
    assert.deepEqual((await api.store.tenant(api.a.id).mirror.list()).map((r) => r.id), [ruleA], 'a cross-tenant call deleted or added a rule of A');
    assert.deepEqual(await api.store.tenant(api.b.id).mirror.list(), [], 'B got a rule touching A\'s calendars');
    assert.equal((await api.store.tenant(api.b.id).events.list(api.b.calendarId)).length, 0, 'A\'s events were copied into B');
  });

  it('lists never include another tenant\'s rows, and accounts never show credentials', async () => {
    const acc = json<{ items: Array<Record<string, unknown>> }>(await call(api, 'GET', '/v1/accounts', { key: api.b.key }));
    assert.deepEqual(acc.items.map((a) => a.id), [api.b.accountId]);
    assert.ok(!JSON.stringify(acc).includes('sealed-secret-envelope'));
    assert.ok(!('credentials' in acc.items[0]!) && !('config' in acc.items[0]!));
    const cals = json<{ items: Array<{ id: string }> }>(await call(api, 'GET', '/v1/calendars', { key: api.b.key }));
    assert.deepEqual(cals.items.map((c) => c.id), [api.b.calendarId]);
    const one = await call(api, 'GET', `/v1/accounts/${api.a.accountId}`);
    assert.equal(one.statusCode, 200);
    assert.ok(!one.body.includes('sealed-secret-envelope'));
    for (const url of ['/v1/conflicts', '/v1/conflicts?open=true', '/v1/conflicts?open=false', '/v1/rules']) {
      const own = await call(api, 'GET', url);
      assert.equal(own.statusCode, 200, `${url}: ${own.body}`);
      assert.ok(own.body.includes(url.startsWith('/v1/rules') ? ruleA : conflictA), `A sees its own row at ${url}`);
      const other = await call(api, 'GET', url, { key: api.b.key });
      assert.deepEqual(json(other), { items: [], nextCursor: null }, `${url} as B`);
    }
  });

  it('the owner can resolve the conflict B could not touch, once; ?open=true then leaves it out', async () => {
    const r = await call(api, 'POST', `/v1/conflicts/${conflictA}/resolve`, { body: { take: 'remote' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(json<{ outcome: string }>(r).outcome, 'remote');
    assert.deepEqual(json(await call(api, 'GET', '/v1/conflicts?open=true')), { items: [], nextCursor: null });
    assert.equal(json<{ items: unknown[] }>(await call(api, 'GET', '/v1/conflicts?open=false')).items.length, 1);
    const again = await call(api, 'POST', `/v1/conflicts/${conflictA}/resolve`, { body: { take: 'local' } });
    assert.deepEqual([again.statusCode, json<Err>(again).error.code], [409, 'CONFLICT_ALREADY_RESOLVED']);
  });

  it("a resolve's ifFreeCalendarIds / ifFreeAccountIds naming another tenant's calendar or account is 404, as a missing one, and writes nothing", async () => {
    // B's own conflict, taking B's side moves the event: the slot check runs and must not reach A's busy time.
    await seed(api.store, api.b.id, api.b.calendarId, ev({ uid: 'b-meeting' }));
    const storedB = (await api.store.tenant(api.b.id).events.list(api.b.calendarId))[0]!;
    const moved = { ...storedB.event, start: { dateTime: '2026-11-10T13:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T14:00:00Z', timeZone: 'UTC' } };
    await api.store.tenant(api.b.id).transaction((t) =>
      t.conflicts.record(api.b.calendarId, [{ uid: 'b-meeting', remoteId: storedB.remoteId, policy: 'manual', fields: [':start', ':end'], base: [storedB.event], local: [moved], remote: [storedB.event], outcome: 'parked' }]),
    );
    const conflictB = (await syncRepo.conflictsList(api.store.db, api.b.id))[0]!.id;
    for (const [query, foreign, fake] of [['ifFreeCalendarIds', api.a.calendarId, 'cal_nope'], ['ifFreeAccountIds', api.a.accountId, 'acc_nope']] as const) {
      const r = await call(api, 'POST', `/v1/conflicts/${conflictB}/resolve?${query}=${foreign}`, { key: api.b.key, body: { take: 'local' } });
      assert.equal(r.statusCode, 404, r.body);
      assert.equal(json<Err>(r).error.code, 'NOT_FOUND');
      const g = await call(api, 'POST', `/v1/conflicts/${conflictB}/resolve?${query}=${fake}`, { key: api.b.key, body: { take: 'local' } });
      assert.equal(r.body.replaceAll(foreign, fake), g.body, 'a foreign id must look exactly like a missing one');
    }
    assert.equal((await syncRepo.conflictGet(api.store.db, api.b.id, conflictB))?.resolvedAt, null, 'still parked');
    assert.deepEqual((await api.store.tenant(api.b.id).events.get(storedB.id))?.event.start, storedB.event.start, 'nothing written');
    const unauth = await call(api, 'POST', `/v1/conflicts/${conflictB}/resolve?ifFree=true&sendUpdates=none`, { key: null, body: { take: 'local' } });
    assert.equal(unauth.statusCode, 401);
  });

  it('rejects bodies over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const small = await startTestApi({ bodyLimit: 1000 });
    try {
      const r = await call(small, 'POST', '/v1/freebusy', { key: small.a.key, body: { calendarIds: Array.from({ length: 100 }, (_, i) => `cal_padding_padding_${i}`), ...win } });
      assert.equal(r.statusCode, 413);
      assert.equal(json<Err>(r).error.code, 'PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it('answers malformed JSON and wrong types with 400 INVALID_REQUEST naming the field', async () => {
    const bad = await api.app.inject({ method: 'POST', url: '/v1/freebusy', headers: { authorization: `Bearer ${api.a.key}`, 'content-type': 'application/json' }, payload: '{"timeMin":' });
    assert.equal(bad.statusCode, 400);
    assert.equal(json<Err>(bad).error.code, 'INVALID_REQUEST');
    const missing = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], timeMin: win.timeMin } });
    assert.equal(json<Err>(missing).error.code, 'INVALID_REQUEST');
    assert.match(json<Err>(missing).error.message, /timeMax/);
    const wrong = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], timeMin: 'yesterday', timeMax: win.timeMax } });
    assert.match(json<Err>(wrong).error.message, /body\.timeMin/);
    const extra = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], ...win, calendarID: 'x' } });
    assert.match(json<Err>(extra).error.message, /calendarID/);
  });

  it('a store failure answers 500 STORE_FAILED with a generic message: no SQL, no stack', async () => {
    await api.store.db.query('ALTER TABLE busy_spans RENAME TO busy_spans_gone');
    try {
      const r = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], ...win } });
      assert.equal(r.statusCode, 500);
      const e = json<Err>(r).error;
      assert.equal(e.code, 'STORE_FAILED');
      assert.doesNotMatch(r.body, /busy_spans|busy_intervals|SELECT|relation|at \w+ \(/);
    } finally {
      await api.store.db.query('ALTER TABLE busy_spans_gone RENAME TO busy_spans');
    }
  });

  it('no API key appears in any log line', async () => {
    await call(api, 'GET', '/v1/accounts');
    await call(api, 'GET', '/v1/accounts', { key: 'chk_not-a-real-key-but-looks-like-one-123456' });
    const all = api.logs.join('\n');
    assert.ok(all.length > 0);
    assert.ok(!all.includes(api.a.key.slice(4)) && !all.includes(api.b.key.slice(4)) && !all.includes('not-a-real-key'));
  });

  it('rate limits per API key with 429 RATE_LIMITED and Retry-After, without touching other keys', async () => {
    const limited = await startTestApi({ rateLimit: { perSecond: 1, burst: 3 }, failedAuthLimit: { perSecond: 0.5, burst: 2 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await call(limited, 'GET', '/v1/accounts', { key: limited.a.key })).statusCode);
      assert.deepEqual(codes, [200, 200, 200, 429, 429]);
      const r = await call(limited, 'GET', '/v1/accounts', { key: limited.a.key });
      assert.equal(json<Err>(r).error.code, 'RATE_LIMITED');
      assert.ok(Number(r.headers['retry-after']) >= 1);
      assert.equal((await call(limited, 'GET', '/v1/accounts', { key: limited.b.key })).statusCode, 200);
      assert.equal((await call(limited, 'GET', '/healthz', { key: null })).statusCode, 200, 'health checks are not rate limited');
      const guesses: number[] = [];
      for (let i = 0; i < 5; i++) guesses.push((await call(limited, 'GET', '/v1/accounts', { key: `chk_guess${i}` })).statusCode);
      assert.deepEqual(guesses, [401, 401, 429, 429, 429], 'failed keys are limited per client address');
      assert.equal((await call(limited, 'GET', '/v1/accounts', { key: limited.b.key })).statusCode, 200, 'a valid key is not held up by failures');
    } finally {
      await limited.close();
    }
  });

  it('odd spellings of /v1 paths still need a key, and non-JSON bodies answer 415', async () => {
    for (const url of ['/%761/accounts', '/v1//accounts', '/v1/accounts?x=/healthz']) {
      const r = await call(api, 'GET', url, { key: null });
      assert.ok(r.statusCode === 401 || r.statusCode === 404, `${url}: ${r.statusCode}`);
      assert.ok(!r.body.includes(api.a.accountId));
    }
    const r = await api.app.inject({ method: 'POST', url: '/v1/freebusy', headers: { authorization: `Bearer ${api.a.key}`, 'content-type': 'application/xml' }, payload: '<x/>' });
    assert.equal(r.statusCode, 415);
    assert.equal(json<Err>(r).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(json<Err>(r).error.message, 'the body must be JSON (content-type: application/json); it was sent as "application/xml"');
  });

  it('unknown routes answer 404 in the error shape; health routes stay open', async () => {
    const r = await call(api, 'GET', '/v1/nothing-here');
    assert.equal(r.statusCode, 404);
    assert.equal(json<Err>(r).error.code, 'NOT_FOUND');
    assert.equal((await call(api, 'GET', '/healthz', { key: null })).statusCode, 200);
    assert.equal((await call(api, 'GET', '/readyz', { key: null })).statusCode, 200);
  });

  it('every error code the API defines is documented in docs/errors.md with its HTTP status', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    for (const e of API_ERRORS) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${e.code}\``) && l.includes(`| ${e.status} |`));
      assert.ok(row, `docs/errors.md has no API row for ${e.code} (${e.status})`);
    }
  });
});
