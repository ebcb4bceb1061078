/** Idempotency-Key on every POST and PATCH: one write per key, the first answer replayed, another request refused. */
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { settle } from '../sync-engine/index.ts';
import { memoryEnv, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { openHub } from '../hub/index.ts';
import { buildApp } from './app.ts';
import { routesOf } from './route-list.ts';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string } };
type Ev = { id: string; etag: string; title: string };

const body = (title: string) => ({ title, start: { dateTime: '2026-12-03T10:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-03T11:00:00', timeZone: 'Europe/Berlin' } });

describe('Idempotency-Key', () => {
  let api: TestApi;
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const url = () => `/v1/calendars/${api.a.calendarId}/events`;
  const post = (key: string, b: object, who: 'a' | 'b' = 'a') =>
    call(api, 'POST', `/v1/calendars/${api[who].calendarId}/events`, { key: api[who].key, body: b, headers: { 'idempotency-key': key } });
  const count = async (title: string, who: 'a' | 'b' = 'a') => (await api.store.tenant(api[who].id).events.list(api[who].calendarId)).filter((e) => e.event.title === title).length;
  const outbox = async () => (await api.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1', [api.a.id]))[0]!.n;

  before(async () => {
    // Retries wait for the first request's answer up to waitMs, then 409 IDEMPOTENCY_KEY_IN_USE: on
    // a loaded machine 20 requests at once on one embedded store took 3.6 s of the default 10 s.
    api = await startTestApi({ idempotency: { now: () => new Date(clock), waitMs: 120_000 } });
  });
  after(() => api.close());

  it('a retry with the same key and body gets the first answer and writes nothing', async () => {
    const first = await post('k-retry', body('retried'));
    assert.equal(first.statusCode, 201, first.body);
    const writes = await outbox();
    const again = await post('k-retry', { ...body('retried') });
    assert.equal(again.statusCode, 201);
    assert.equal(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.headers.location, first.headers.location);
    assert.equal(again.headers.etag, first.headers.etag);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    assert.equal(await count('retried'), 1);
    assert.equal(await outbox(), writes, 'no second outbox entry (provider write)');
  });

  it('the same key with another body, method or path answers 409 IDEMPOTENCY_KEY_REUSED', async () => {
    assert.equal((await post('k-reuse', body('one'))).statusCode, 201);
    const other = await post('k-reuse', body('two'));
    assert.equal(other.statusCode, 409);
    assert.equal(json<Err>(other).error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await count('two'), 0);
    const elsewhere = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], timeMin: '2026-12-03T00:00:00Z', timeMax: '2026-12-04T00:00:00Z' }, headers: { 'idempotency-key': 'k-reuse' } });
    assert.equal(json<Err>(elsewhere).error.code, 'IDEMPOTENCY_KEY_REUSED');
    // Keys are per tenant: b's k-reuse is its own.
    assert.equal((await post('k-reuse', body('two'), 'b')).statusCode, 201);
  });

  it('the query in another order or spelling is the same request; another value is not', async () => {
    const q = (key: string, query: string) => call(api, 'POST', `${url()}?${query}`, { key: api.a.key, body: body('queried'), headers: { 'idempotency-key': key } });
    const first = await q('k-query', 'sendUpdates=none&ifFree=false');
    assert.equal(first.statusCode, 201, first.body);
    const reordered = await q('k-query', 'ifFree=false&sendUpdates=none');
    assert.equal(reordered.statusCode, 201, reordered.body);
    assert.equal(reordered.headers['idempotent-replayed'], 'true');
    assert.equal(reordered.body, first.body);
    const escaped = await q('k-query', 'if%46ree=false&sendUpdates=%6Eone');
    assert.equal(escaped.headers['idempotent-replayed'], 'true', escaped.body);
    const changed = await q('k-query', 'ifFree=false&sendUpdates=all');
    assert.equal(json<Err>(changed).error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await count('queried'), 1);
  });

  it('20 concurrent retries of one create make one write and all get its answer', async () => {
    const before = await outbox();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('k-burst', body('burst'))));
    assert.deepEqual(new Set(answers.map((r) => r.statusCode)), new Set([201]), answers.map((r) => r.body).join('\n'));
    assert.equal(new Set(answers.map((r) => json<Ev>(r).id)).size, 1);
    assert.equal(answers.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 19);
    assert.equal(await count('burst'), 1);
    assert.equal(await outbox(), before + 1);
  });

  it('PATCH: a retry replays the answer; the kept refusal is replayed too', async () => {
    const c = json<Ev>(await post('k-made', body('to patch')));
    const patch = (key: string, b: object, ifMatch = c.etag) => call(api, 'PATCH', `/v1/events/${c.id}`, { body: b, headers: { 'idempotency-key': key, 'if-match': ifMatch } });
    const p1 = await patch('k-patch', { title: 'patched' });
    assert.equal(p1.statusCode, 200, p1.body);
    const p2 = await patch('k-patch', { title: 'patched' });
    assert.equal(p2.body, p1.body);
    assert.equal(p2.headers['idempotent-replayed'], 'true');
    // Without the key the same If-Match now fails: the event changed. With it, the first answer.
    assert.equal((await call(api, 'PATCH', `/v1/events/${c.id}`, { body: { title: 'patched' }, headers: { 'if-match': c.etag } })).statusCode, 412);
    const refused = await patch('k-stale', { title: 'stale' });
    assert.equal(refused.statusCode, 412);
    assert.equal((await patch('k-stale', { title: 'stale' })).headers['idempotent-replayed'], 'true');
  });

  it('a refusal by the body schema is kept like any other refusal', async () => {
    const bad = await post('k-schema', { ...body('typed'), title: 5 });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(json<Err>(bad).error.code, 'INVALID_REQUEST');
    const again = await post('k-schema', { ...body('typed'), title: 5 });
    assert.equal(again.statusCode, 400);
    assert.equal(again.body, bad.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const other = await post('k-schema', body('typed'));
    assert.equal(other.statusCode, 409, other.body);
    assert.equal(json<Err>(other).error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await count('typed'), 0);
    // So is a refusal of the text guard (before the schema), and of a path parameter.
    const nul = await post('k-text', body('bad\u0000text'));
    assert.equal(json<Err>(nul).error.code, 'INVALID_TEXT');
    assert.equal((await post('k-text', body('bad\u0000text'))).headers['idempotent-replayed'], 'true');
  });

  it('a key lives 24 h: after that the same request runs again', async () => {
    assert.equal((await post('k-day', body('daily'))).statusCode, 201);
    clock += 24 * 3_600_000 - 1000;
    assert.equal((await post('k-day', body('daily'))).headers['idempotent-replayed'], 'true');
    clock += 2000;
    const later = await post('k-day', body('daily'));
    assert.equal(later.statusCode, 201);
    assert.equal(later.headers['idempotent-replayed'], undefined);
    assert.equal(await count('daily'), 2);
  });

  it('refuses a malformed key and leaves requests without a key alone', async () => {
    const long = await post('x'.repeat(256), body('long key'));
    assert.equal(long.statusCode, 400);
    assert.equal(json<Err>(long).error.code, 'INVALID_REQUEST');
    const spaced = await post('has space', body('spaced key'));
    assert.equal(json<Err>(spaced).error.code, 'INVALID_REQUEST');
    assert.equal((await call(api, 'POST', url(), { body: body('plain') })).statusCode, 201);
    assert.equal((await call(api, 'POST', url(), { body: body('plain') })).statusCode, 201);
    assert.equal(await count('plain'), 2);
  });

  it('every POST and PATCH under /v1 declares the header in /openapi.json', async () => {
    const doc = json<{ paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> }>(await call(api, 'GET', '/openapi.json'));
    const writes = routesOf(api.app).filter((r) => (r.method === 'POST' || r.method === 'PATCH') && r.url.startsWith('/v1/'));
    assert.ok(writes.length >= 10, `only ${writes.length} write routes`);
    for (const r of writes) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      assert.ok(op?.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'), `${r.method} ${r.url}`);
    }
  });
});

test('20 concurrent retries of one create reach the provider once', async () => {
  // Closed here, not in a file-level hook: api-pg.int.test.ts runs more suites in this process.
  const env = await memoryEnv({ calendars: 1 });
  try {
    await retriesReachProviderOnce(env);
  } finally {
    await env.close();
  }
});

async function retriesReachProviderOnce(env: MemoryEnv): Promise<void> {
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  // waitMs as above: the retries are to get the first answer however slow the machine.
  const app = await buildApp({ hub: await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) }), probes: [], idempotency: { waitMs: 120_000 } });
  const [cal] = env.calendars;
  const send = () => app.inject({ method: 'POST', url: `/v1/calendars/${cal}/events`, headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': 'book-1' }, payload: body('Booked once') });
  const answers = await Promise.all(Array.from({ length: 20 }, send));
  assert.ok(answers.every((r) => r.statusCode === 201), answers.map((r) => r.body).join('\n'));
  await settle(env.deps, env.tenantId, [cal!]);
  // Retries after the push still write nothing.
  const late = await Promise.all(Array.from({ length: 5 }, send));
  assert.ok(late.every((r) => r.headers['idempotent-replayed'] === 'true'));
  await settle(env.deps, env.tenantId, [cal!]);
  const provider = env.backend.calendar(env.providerIds[0]!)!;
  assert.deepEqual(env.backend.list(env.providerIds[0]!).map((o) => o.events[0]!.title), ['Booked once']);
  assert.equal(provider.log.length, 1, 'provider writes');
  await app.close();
}
