import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { API_ERRORS } from './errors.ts';
import { call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };

describe('API security and errors', () => {
  let api: TestApi;
  let eventA: string;

  before(async () => {
    api = await startTestApi({ rateLimit: { perSecond: 1000, burst: 1000 }, failedAuthLimit: { perSecond: 1000, burst: 1000 } });
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'secret-meeting', title: 'Acquisition of Initech' }));
    eventA = (await api.store.tenant(api.a.id).events.list(api.a.calendarId))[0]!.id;
  });
  after(() => api.close());

  const win = { timeMin: '2026-11-09T00:00:00Z', timeMax: '2026-11-12T00:00:00Z' };
  const routes = (): Array<[method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown]> => [
    ['GET', '/v1/accounts'],
    ['GET', `/v1/accounts/${api.a.accountId}`],
    ['GET', '/v1/calendars'],
    ['GET', `/v1/calendars?accountId=${api.a.accountId}`],
    ['GET', `/v1/calendars/${api.a.calendarId}`],
    ['GET', `/v1/calendars/${api.a.calendarId}/events`],
    ['GET', `/v1/calendars/${api.a.calendarId}/events?timeMin=${win.timeMin}&timeMax=${win.timeMax}`],
    ['GET', `/v1/events/${eventA}`],
    ['POST', `/v1/calendars/${api.a.calendarId}/events`, ev({ uid: 'intruder' })],
    ['PATCH', `/v1/events/${eventA}`, { title: 'hacked' }],
    ['DELETE', `/v1/events/${eventA}`],
    ['POST', '/v1/freebusy', { calendarIds: [api.a.calendarId], ...win }],
    ['POST', '/v1/freebusy', { accountIds: [api.a.accountId], ...win }],
    ['POST', '/v1/availability', { participants: [{ calendarIds: [api.a.calendarId] }], durationMinutes: 30, ...win }],
    ['POST', '/v1/availability', { participants: [{ accountIds: [api.a.accountId] }], durationMinutes: 30, ...win }],
  ];

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
    const ghost = (u: string) => u.replaceAll(api.a.accountId, 'acc_nope').replaceAll(api.a.calendarId, 'cal_nope').replaceAll(eventA, 'evt_nope');
    for (const [method, url, body] of routes()) {
      if (!url.includes(api.a.accountId) && !url.includes(api.a.calendarId) && !url.includes(eventA) && !JSON.stringify(body ?? '').match(/acc_|cal_/)) continue;
      const r = await call(api, method, url, { key: api.b.key, body });
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
      assert.equal(json<Err>(r).error.code, 'NOT_FOUND');
      assert.ok(!r.body.includes('Initech') && !r.body.includes('alpha'), `${method} ${url} leaked: ${r.body}`);
      const g = await call(api, method, ghost(url), { key: api.b.key, body: body === undefined ? undefined : JSON.parse(ghost(JSON.stringify(body))) });
      assert.equal(g.statusCode, 404);
      assert.equal(ghost(r.body), g.body, 'a foreign id must look exactly like a missing one');
    }
    const stored = await api.store.tenant(api.a.id).events.get(eventA);
    assert.equal(stored?.event.title, 'Acquisition of Initech', 'a cross-tenant write changed the event');
    assert.equal((await api.store.tenant(api.a.id).events.list(api.a.calendarId)).length, 1);
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
    await api.store.db.query('ALTER TABLE busy_intervals RENAME TO busy_intervals_gone');
    try {
      const r = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], ...win } });
      assert.equal(r.statusCode, 500);
      const e = json<Err>(r).error;
      assert.equal(e.code, 'STORE_FAILED');
      assert.doesNotMatch(r.body, /busy_intervals|SELECT|relation|at \w+ \(/);
    } finally {
      await api.store.db.query('ALTER TABLE busy_intervals_gone RENAME TO busy_intervals');
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
  });

  it('unknown routes answer 404 in the error shape; health routes stay open', async () => {
    const r = await call(api, 'GET', '/v1/nothing-here');
    assert.equal(r.statusCode, 404);
    assert.equal(json<Err>(r).error.code, 'NOT_FOUND');
    assert.equal((await call(api, 'GET', '/healthz', { key: null })).statusCode, 200);
    assert.equal((await call(api, 'GET', '/readyz', { key: null })).statusCode, 200);
  });

  it('serves an OpenAPI 3.1 document with every route, its schemas and security, and a docs page', async () => {
    const doc = json<{ openapi: string; paths: Record<string, Record<string, { responses?: Record<string, unknown>; security?: unknown[]; requestBody?: unknown }>>; components: { schemas: Record<string, unknown> } }>(
      await call(api, 'GET', '/openapi.json', { key: null }),
    );
    assert.equal(doc.openapi, '3.1.0');
    const ops = Object.entries(doc.paths).flatMap(([p, m]) => Object.keys(m).map((verb) => `${verb.toUpperCase()} ${p}`));
    for (const want of [
      'POST /v1/freebusy',
      'POST /v1/availability',
      'GET /v1/accounts',
      'GET /v1/accounts/{id}',
      'GET /v1/calendars',
      'GET /v1/calendars/{id}',
      'GET /v1/calendars/{id}/events',
      'POST /v1/calendars/{id}/events',
      'GET /v1/events/{id}',
      'PATCH /v1/events/{id}',
      'DELETE /v1/events/{id}',
    ]) {
      assert.ok(ops.includes(want), `missing ${want}`);
      const [verb, p] = want.split(' ') as [string, string];
      const op = doc.paths[p]![verb.toLowerCase()]!;
      assert.ok(op.responses?.['401'] && op.responses['404'], `${want} documents its errors`);
      assert.deepEqual(op.security, [{ apiKey: [] }]);
      if (verb === 'POST' || verb === 'PATCH') assert.ok(op.requestBody, `${want} has a body schema`);
    }
    assert.ok(doc.components.schemas.Error, 'the error schema is a component');
    const text = JSON.stringify(doc);
    for (const m of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      const name = m[1]!.replace('#/components/schemas/', '');
      assert.ok(doc.components.schemas[name], `dangling $ref ${m[1]}`);
    }
    const page = await call(api, 'GET', '/docs/', { key: null });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger/i);
  });

  it('every error code the API defines is documented in docs/errors.md with its HTTP status', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    for (const e of API_ERRORS) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${e.code}\``) && l.includes(`| ${e.status} |`));
      assert.ok(row, `docs/errors.md has no API row for ${e.code} (${e.status})`);
    }
  });
});
