/** Managing mirror rules one by one: no second rule for the same copies, show, pause and resume, change filters. */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { pullCalendar, reconcileRule, settle } from '../sync-engine/index.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { openHub } from '../hub/index.ts';
import { buildApp } from './app.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

async function start(calendars = 2) {
  env = await memoryEnv({ calendars });
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const hub = await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  const app = await buildApp({ hub, probes: [] });
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${apiKey}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { hub, call, a: env.calendars[0]!, b: env.calendars[1]! };
}

type Rule = { id: string; state: string; pausedReason: string | null; pausedCode: string | null; paused: boolean; copies: number; filters: { skipAllDay: boolean } };
const titlesAt = (i: number) => env.backend.list(env.providerIds[i]!).flatMap((o) => o.events.map((e) => e.title)).sort();

test('a rule whose copies another rule already makes is refused with 409 RULE_EXISTS naming it', async () => {
  const { call, a, b } = await start();
  const oneWay = await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block' });
  assert.equal(oneWay.statusCode, 201, oneWay.body);
  const id = oneWay.json<Rule>().id;
  for (const body of [
    { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block' },
    { sourceCalendarId: a, targetCalendarId: b, mode: 'full-copy' },
    { sourceCalendarId: b, targetCalendarId: a, mode: 'busy-block', twoWay: true },
  ]) {
    const r = await call('POST', '/v1/rules', body);
    assert.equal(r.statusCode, 409, r.body);
    const err = r.json<{ error: { code: string; message: string } }>().error;
    assert.equal(err.code, 'RULE_EXISTS');
    assert.match(err.message, new RegExp(`mirror rule ${id} already copies`));
  }
  // The other way alone makes other copies.
  const back = await call('POST', '/v1/rules', { sourceCalendarId: b, targetCalendarId: a, mode: 'busy-block' });
  assert.equal(back.statusCode, 201, back.body);
  assert.equal((await call('GET', '/v1/rules')).json<{ items: Rule[] }>().items.length, 2);
});

test('a reversed rule next to a two-way one is refused, and one of two creates at once wins', async () => {
  const { call, a, b } = await start();
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'at a' })]);
  const [x, y] = await Promise.all([
    call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block', twoWay: true }),
    call('POST', '/v1/rules', { sourceCalendarId: b, targetCalendarId: a, mode: 'busy-block', twoWay: true }),
  ]);
  assert.deepEqual([x.statusCode, y.statusCode].sort(), [201, 409], `${x.body} ${y.body}`);
  const reversed = await call('POST', '/v1/rules', { sourceCalendarId: b, targetCalendarId: a, mode: 'busy-block' });
  assert.equal(reversed.statusCode, 409, reversed.body);
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  assert.deepEqual(titlesAt(1), ['Busy'], 'one busy block, not two');
});

test('a rule can be shown, paused (copies kept, none made) and resumed (it catches up)', async () => {
  const { call, a, b } = await start();
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'before' })]);
  const made = await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'full-copy' });
  const id = made.json<Rule>().id;
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  const shown = await call('GET', `/v1/rules/${id}`);
  assert.equal(shown.statusCode, 200, shown.body);
  assert.deepEqual(pick(shown.json<Rule>()), { state: 'active', pausedCode: null, paused: false, copies: 1 });
  assert.equal((await call('GET', '/v1/rules/rule_nope')).json<{ error: { code: string } }>().error.code, 'NOT_FOUND');

  const paused = await call('PATCH', `/v1/rules/${id}`, { paused: true });
  assert.equal(paused.statusCode, 200, paused.body);
  assert.deepEqual(pick(paused.json<Rule>()), { state: 'paused', pausedCode: 'USER_PAUSED', paused: true, copies: 1 });
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'while paused' })]);
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  assert.deepEqual(titlesAt(1), ['before'], 'paused: the copy stays, no new one');

  const resumed = await call('PATCH', `/v1/rules/${id}`, { paused: false });
  assert.equal(resumed.json<Rule>().state, 'active');
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  assert.deepEqual(titlesAt(1), ['before', 'while paused']);
  assert.equal((await call('GET', `/v1/rules/${id}`)).json<Rule>().copies, 2);
});

test('PATCH changes filters (the copies follow) and refuses what it cannot change', async () => {
  const { call, a, b } = await start();
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'timed' }), sampleEvent({ title: 'all day', start: { date: '2030-01-02' }, end: { date: '2030-01-03' } })]);
  const id = (await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'full-copy' })).json<Rule>().id;
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  assert.deepEqual(titlesAt(1), ['all day', 'timed']);
  const r = await call('PATCH', `/v1/rules/${id}`, { filters: { skipAllDay: true } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json<Rule>().filters.skipAllDay, true);
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  assert.deepEqual(titlesAt(1), ['timed']);
  for (const body of [{ targetCalendarId: a }, { mode: 'busy-block' }, {}]) {
    const bad = await call('PATCH', `/v1/rules/${id}`, body);
    assert.equal(bad.statusCode, 400, bad.body);
  }
  const hours = await call('PATCH', `/v1/rules/${id}`, { filters: { workingHours: { timeZone: 'UTC', start: '10:00', end: '09:00' } } });
  assert.equal(hours.json<{ error: { code: string } }>().error.code, 'WORKING_HOURS_INVALID');
});

function pick(r: Rule) {
  return { state: r.state, pausedCode: r.pausedCode, paused: r.paused, copies: r.copies };
}

test("a rule's last run is shown in GET, the list and calhub rules show: when, copies created, updated and deleted, and its error without secrets", async () => {
  const { call, a, b } = await start();
  const id = (await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'full-copy' })).json<Rule>().id;
  type Run = { at: string; created: number; updated: number; deleted: number; error: { code: string; message: string } | null };
  const lastRun = async () => (await call('GET', `/v1/rules/${id}`)).json<{ lastRun: Run | null }>().lastRun;
  const one = sampleEvent({ title: 'one' });
  // Pulled, then run by hand: a settle runs the rule again after the push, and that run wrote nothing.
  const run = async () => {
    await pullCalendar(env.deps, env.tenantId, a);
    return reconcileRule(env.deps, env.tenantId, id);
  };
  env.backend.put(env.providerIds[0]!, null, [one, sampleEvent({ title: 'two' })]);
  await run();
  const first = (await lastRun())!;
  assert.deepEqual([first.created, first.updated, first.deleted, first.error], [2, 0, 0, null]);
  assert.ok(Date.now() - Date.parse(first.at) < 60_000);

  const [obj] = env.backend.list(env.providerIds[0]!).filter((o) => o.events.some((e) => e.title === 'one'));
  env.backend.put(env.providerIds[0]!, obj!.remoteId, [{ ...one, title: 'one, renamed' }]);
  await run();
  assert.deepEqual((await lastRun())!.updated, 1);
  env.backend.delete(env.providerIds[0]!, obj!.remoteId);
  await run();
  const gone = (await lastRun())!;
  assert.deepEqual([gone.created, gone.updated, gone.deleted], [0, 0, 1]);
  const listed = (await call('GET', '/v1/rules')).json<{ items: Array<{ lastRun: Run | null }> }>().items[0]!;
  assert.deepEqual(listed.lastRun, gone);

  // A run with nothing to do is the last check; the last change stays the delete.
  type Change = Omit<Run, 'error'>;
  const lastChange = async () => (await call('GET', `/v1/rules/${id}`)).json<{ lastChange: Change | null }>().lastChange;
  await run();
  const idle = (await lastRun())!;
  assert.deepEqual([idle.created, idle.updated, idle.deleted, idle.error], [0, 0, 0, null]);
  assert.ok(idle.at >= gone.at);
  assert.deepEqual(await lastChange(), { at: gone.at, created: 0, updated: 0, deleted: 1 });
  await run();
  assert.deepEqual(await lastChange(), { at: gone.at, created: 0, updated: 0, deleted: 1 }, 'a second idle run keeps it too');

  // A run that fails keeps its code and message, the token in it scrubbed.
  const boom = Object.assign(new Error('store said no (Authorization: Bearer sekrit-token-123)'), { code: 'STORE_UNAVAILABLE' });
  const store = env.deps.store;
  const tenant = (tid: string) => {
    const t = store.tenant(tid);
    const events = new Proxy(t.events, { get: (o, k) => (k === 'list' ? async () => Promise.reject(boom) : Reflect.get(o, k)) });
    return new Proxy(t, { get: (o, k) => (k === 'events' ? events : Reflect.get(o, k)) });
  };
  const failing = { ...env.deps, store: new Proxy(store, { get: (o, k) => (k === 'tenant' ? tenant : Reflect.get(o, k)) }) };
  await assert.rejects(reconcileRule(failing, env.tenantId, id), /store said no/);
  const failed = (await lastRun())!;
  assert.equal(failed.error?.code, 'STORE_UNAVAILABLE');
  assert.match(failed.error!.message, /Bearer \[redacted\]/);
  assert.doesNotMatch(JSON.stringify(failed), /sekrit/);
});
