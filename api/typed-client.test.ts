/**
 * The typed client (clients/typescript) says what the server takes: a numeric `limit`, boolean
 * `ifFree` / `open`, a rule's named filters, rotate-secret with no body. The calls below are
 * type-checked by `tsc -p .` (they did not compile when the OpenAPI document typed them as strings
 * or `Record<string, never>`) and run against the API, so the server must take them too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCalhubClient, type CalhubClient } from '../clients/typescript/index.ts';
import { at, call, startTestApi, type TestApi } from './test-support.ts';

describe('the typed client and the server agree on parameter types', () => {
  let api: TestApi;
  let client: CalhubClient;
  let second: string;

  before(async () => {
    api = await startTestApi();
    const t = api.store.tenant(api.a.id);
    [second] = (await t.calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'personal', name: 'Personal', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id) as [string];
    client = createCalhubClient({
      baseUrl: 'http://calhub.test',
      apiKey: api.a.key,
      fetch: async (request) => {
        const url = new URL(request.url);
        const body = await request.text();
        const r = await api.app.inject({
          method: request.method as 'GET',
          url: url.pathname + url.search,
          headers: Object.fromEntries(request.headers),
          ...(body ? { payload: body } : {}),
        });
        return new Response(r.statusCode === 204 ? null : r.body, { status: r.statusCode, headers: { 'content-type': String(r.headers['content-type'] ?? 'application/json') } });
      },
    });
  });
  after(() => api.close());

  it('a rule with filters, and a list with a numeric limit', async () => {
    const made = await client.POST('/v1/rules', { body: { sourceCalendarId: api.a.calendarId, targetCalendarId: second, mode: 'busy-block', filters: { skipFree: true, skipAllDay: true } } });
    assert.equal(made.error, undefined, JSON.stringify(made.error));
    assert.deepEqual((made.data!.config as { filters: Record<string, unknown> }).filters, { skipDeclined: false, skipFree: true, skipAllDay: true, workingHours: null });
    await client.POST('/v1/rules', { body: { sourceCalendarId: second, targetCalendarId: api.a.calendarId, mode: 'full-copy' } });
    const page = await client.GET('/v1/rules', { params: { query: { limit: 1 } } });
    assert.equal(page.error, undefined, JSON.stringify(page.error));
    assert.equal(page.data!.items.length, 1);
    assert.notEqual(page.data!.nextCursor, null);
    const open = await client.GET('/v1/conflicts', { params: { query: { open: true, limit: 5 } } });
    assert.deepEqual([open.error, open.data!.items], [undefined, []]);
  });

  it('ifFree: true is a free-slot check', async () => {
    const body = { title: 'Booking', start: at('2026-11-10T10:00:00Z'), end: at('2026-11-10T11:00:00Z') };
    const path = { id: api.a.calendarId };
    const first = await client.POST('/v1/calendars/{id}/events', { params: { path, query: { ifFree: true } }, body });
    assert.equal(first.error, undefined, JSON.stringify(first.error));
    const again = await client.POST('/v1/calendars/{id}/events', { params: { path, query: { ifFree: true } }, body });
    assert.equal(again.error?.error.code, 'SLOT_TAKEN');
    const unchecked = await client.POST('/v1/calendars/{id}/events', { params: { path, query: { ifFree: false } }, body });
    assert.equal(unchecked.error, undefined, 'ifFree=false writes without the check');
  });

  it('rotate-secret needs no body; {} still does, anything else is 400', async () => {
    const hook = await client.POST('/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h', events: ['*'] } });
    const id = hook.data!.id;
    const rotated = await client.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id } } });
    assert.equal(rotated.error, undefined, JSON.stringify(rotated.error));
    assert.ok(rotated.data!.previousSecretValidUntil);
    // {} is a body it takes: refused only because the first rotation's overlap is not over.
    const again = await call(api, 'POST', `/v1/webhooks/${id}/rotate-secret`, { body: {} });
    assert.deepEqual([again.statusCode, again.json().error.code], [409, 'WEBHOOK_ROTATION_IN_PROGRESS']);
    const forced = await client.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id } }, body: { force: true } });
    assert.equal(forced.error, undefined, JSON.stringify(forced.error));
    for (const body of [{ force: 'yes' }, { other: true }, [1], 42]) {
      const r = await call(api, 'POST', `/v1/webhooks/${id}/rotate-secret`, { body });
      assert.deepEqual([r.statusCode, r.json().error.code], [400, 'INVALID_REQUEST'], JSON.stringify(body));
    }
  });

  it('query values are as strict as before: only digits for a number, only true/false for a boolean', async () => {
    const events = `/v1/calendars/${api.a.calendarId}/events`;
    for (const q of ['limit=1e3', 'limit=%205', 'limit=0x10', 'limit=0', 'limit=1001', 'limit=', 'limit=-1']) {
      const r = await call(api, 'GET', `${events}?${q}`);
      assert.deepEqual([r.statusCode, r.json().error.code], [400, 'INVALID_REQUEST'], q);
    }
    assert.equal((await call(api, 'GET', `${events}?limit=1000`)).statusCode, 200);
    for (const q of ['ifFree=1', 'ifFree=yes', 'ifFree=TRUE', 'ifFree=']) {
      const r = await call(api, 'POST', `${events}?${q}`, { body: { title: 'x', start: at('2026-11-12T10:00:00Z'), end: at('2026-11-12T11:00:00Z') } });
      assert.deepEqual([r.statusCode, r.json().error.code], [400, 'INVALID_REQUEST'], q);
    }
    assert.equal((await call(api, 'GET', '/v1/conflicts?open=1')).statusCode, 400);
  });

  it('/openapi.json, which the client is generated from, types them so', async () => {
    type Op = { parameters?: Array<{ name: string; schema: { type: string } }>; requestBody?: unknown };
    const doc = (await call(api, 'GET', '/openapi.json')).json() as { paths: Record<string, Record<string, Op>> };
    const param = (path: string, method: string, name: string) => doc.paths[path]![method]!.parameters!.find((p) => p.name === name)!.schema.type;
    assert.equal(param('/v1/rules', 'get', 'limit'), 'integer');
    assert.equal(param('/v1/calendars/{id}/events', 'get', 'limit'), 'integer');
    assert.equal(param('/v1/calendars/{id}/events', 'post', 'ifFree'), 'boolean');
    assert.equal(param('/v1/conflicts', 'get', 'open'), 'boolean');
    for (const path of ['/v1/webhooks/{id}/rotate-secret', '/v1/webhooks/{id}/test']) assert.equal((doc.paths[path]!.post!.requestBody as { required: boolean }).required, false, path);
    assert.equal((doc.paths['/v1/rules']!.post!.requestBody as { required: boolean }).required, true);
    const rule = doc.paths['/v1/rules']!.post!.requestBody as { content: Record<string, { schema: { properties: { filters: { properties: object } } } }> };
    assert.deepEqual(Object.keys(rule.content['application/json']!.schema.properties.filters.properties).sort(), ['skipAllDay', 'skipDeclined', 'skipFree', 'workingHours']);
  });

  it('a rule filter the engine does not know is refused by the schema', async () => {
    const r = await call(api, 'POST', '/v1/rules', { body: { sourceCalendarId: api.a.calendarId, targetCalendarId: second, mode: 'busy-block', filters: { skipFree: 'yes' } } });
    assert.deepEqual([r.statusCode, r.json().error.code], [400, 'INVALID_REQUEST']);
  });
});
