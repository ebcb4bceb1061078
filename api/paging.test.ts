/** Cursor pagination and filters on every list route: stable order, nothing lost or repeated while items are added. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';
import { routesOf } from './route-list.ts';

type Page<T> = { items: T[]; nextCursor: string | null };
type Err = { error: { code: string } };

async function all<T>(api: TestApi, url: string, limit: number, between?: (page: number) => Promise<void>): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | null = null;
  let n = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const r = await call(api, 'GET', `${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.statusCode, 200, r.body);
    const page = json<Page<T>>(r);
    assert.ok(page.items.length <= limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (between) await between(n++);
  } while (cursor);
  return seen;
}

describe('pagination and filters', () => {
  let api: TestApi;
  let big: string;

  before(async () => {
    api = await startTestApi();
    const [cal] = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'big', name: 'Big', timeZone: 'UTC', color: null, readOnly: false }]);
    big = cal!.id;
    const day = (i: number) => `2027-01-${String(1 + (i % 28)).padStart(2, '0')}`;
    const events = Array.from({ length: 1000 }, (_, i) => {
      const h = String(i % 24).padStart(2, '0');
      return ev({ uid: `e${i}`, title: i % 10 === 0 ? `Review ${i}` : `Meeting ${i}`, status: i % 7 === 0 ? 'tentative' : 'confirmed', start: at(`${day(i)}T${h}:00:00Z`), end: at(`${day(i)}T${h}:30:00Z`) });
    });
    for (let i = 0; i < events.length; i += 250) await seed(api.store, api.a.id, big, ...events.slice(i, i + 250));
  });
  after(() => api.close());

  it('1,000 stored events paged while events are added: none lost, none repeated', async () => {
    let added = 0;
    const seen = await all<{ id: string; uid: string }>(api, `/v1/calendars/${big}/events`, 37, async () => {
      // New events land anywhere in the id order, before and after the cursor.
      const r = await call(api, 'POST', `/v1/calendars/${big}/events`, { body: { title: `added ${added++}`, start: at('2027-01-10T10:00:00Z'), end: at('2027-01-10T11:00:00Z') } });
      assert.equal(r.statusCode, 201, r.body);
    });
    assert.equal(new Set(seen.map((e) => e.id)).size, seen.length, 'an event was repeated');
    const original = seen.filter((e) => /^e\d+$/.test(e.uid));
    assert.equal(original.length, 1000, 'an event was lost');
    assert.ok(added >= 27);
    assert.deepEqual(seen.map((e) => e.id), [...seen.map((e) => e.id)].sort(), 'id order');
  });

  it('1,000 instances in a window paged while events are added: none lost, none repeated, start order', async () => {
    const url = `/v1/calendars/${big}/events?timeMin=2027-01-01T00:00:00Z&timeMax=2027-02-01T00:00:00Z`;
    let n = 0;
    const seen = await all<{ eventId: string; uid: string; start: string }>(api, url, 50, async () => {
      n++;
      // One instance before the cursor's position, one after.
      await seed(api.store, api.a.id, big, ev({ uid: `early-${n}`, start: at('2027-01-01T00:00:00Z'), end: at('2027-01-01T00:10:00Z') }), ev({ uid: `late-${n}`, start: at('2027-01-31T12:00:00Z'), end: at('2027-01-31T12:10:00Z') }));
    });
    const keys = seen.map((i) => i.eventId);
    assert.equal(new Set(keys).size, keys.length, 'an instance was repeated');
    assert.equal(seen.filter((i) => /^e\d+$/.test(i.uid)).length, 1000, 'an instance was lost');
    assert.ok(seen.some((i) => i.uid.startsWith('late-')), 'items added after the cursor appear');
    const starts = seen.map((i) => Date.parse(i.start));
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  });

  // Found by an outside user: a series alone in a window listed two pages, then nextCursor null.
  const berlin = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Berlin' });
  it('a series alone in a window pages through all its occurrences, whatever the page size', async () => {
    const [cal] = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'series-only', name: 'Series', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
    await seed(api.store, api.a.id, cal!.id, [
      ev({ uid: 'daily', start: berlin('2027-06-01T07:00:00Z'), end: berlin('2027-06-01T07:15:00Z'), recurrence: { rrules: ['FREQ=DAILY'], exdates: [], rdates: [] } }),
      // An occurrence moved past the next one's start.
      ev({ uid: 'daily', originalStart: berlin('2027-06-03T07:00:00Z'), start: berlin('2027-06-04T09:00:00Z'), end: berlin('2027-06-04T09:15:00Z') }),
    ]);
    const url = `/v1/calendars/${cal!.id}/events?timeMin=2027-06-01T00:00:00Z&timeMax=2027-08-31T00:00:00Z`;
    for (const limit of [1, 2, 3, 10, 25, 1000]) {
      const seen = await all<{ start: string }>(api, url, limit);
      assert.equal(seen.length, 91, `pages of ${limit}`);
      assert.equal(new Set(seen.map((i) => i.start)).size, 91, `pages of ${limit}: an occurrence was repeated`);
    }
  });

  it('filters events by status, text and updatedSince, in both listings', async () => {
    const stored = await all<{ uid: string; status: string; title: string }>(api, `/v1/calendars/${big}/events?status=tentative&q=review`, 40);
    const expected = Array.from({ length: 1000 }, (_, i) => i).filter((i) => i % 7 === 0 && i % 10 === 0).map((i) => `e${i}`);
    assert.deepEqual(stored.map((e) => e.uid).sort(), expected.sort());
    const win = await all<{ uid: string }>(api, `/v1/calendars/${big}/events?timeMin=2027-01-01T00:00:00Z&timeMax=2027-02-01T00:00:00Z&status=tentative&q=REVIEW`, 3);
    assert.deepEqual(win.map((e) => e.uid).sort(), expected.sort());
    const since = new Date(Date.now() + 5).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const target = (await api.store.tenant(api.a.id).events.list(big)).find((e) => e.event.uid === 'e5')!;
    assert.equal((await call(api, 'PATCH', `/v1/events/${target.id}`, { body: { title: 'Meeting 5 (moved)' } })).statusCode, 200);
    const changed = json<Page<{ uid: string }>>(await call(api, 'GET', `/v1/calendars/${big}/events?updatedSince=${since}`));
    assert.deepEqual(changed.items.map((e) => e.uid), ['e5']);
    const changedWin = json<Page<{ uid: string }>>(await call(api, 'GET', `/v1/calendars/${big}/events?timeMin=2027-01-01T00:00:00Z&timeMax=2027-02-01T00:00:00Z&updatedSince=${since}`));
    assert.deepEqual(changedWin.items.map((e) => e.uid), ['e5']);
    assert.equal(json<Err>(await call(api, 'GET', `/v1/calendars/${big}/events?status=sleeping`)).error.code, 'INVALID_REQUEST');
  });

  it('accounts, calendars, rules, webhooks and deliveries page by id with filters', async () => {
    const t = api.store.tenant(api.a.id);
    const acc2 = await t.accounts.upsert({ provider: 'memory', externalId: 'second@example.com', credentials: 'sealed' });
    await t.calendars.upsertMany(acc2.id, ['Alpha', 'Beta', 'Gamma', 'Delta'].map((name) => ({ providerCalendarId: name, name, timeZone: 'UTC', color: null, readOnly: false })));
    for (const [url, q, expect] of [
      ['/v1/accounts', 'q=SECOND', ['second@example.com']],
      ['/v1/calendars', `accountId=${acc2.id}&q=a`, ['Alpha', 'Beta', 'Delta', 'Gamma']],
      ['/v1/calendars', 'q=gamma', ['Gamma']],
    ] as const) {
      const full = json<Page<{ id: string }>>(await call(api, 'GET', url)).items;
      const paged = await all<{ id: string }>(api, url, 1);
      assert.deepEqual(paged.map((x) => x.id), full.map((x) => x.id), url);
      assert.deepEqual(paged.map((x) => x.id), [...paged.map((x) => x.id)].sort(), `${url} id order`);
      const filtered = json<Page<{ externalId?: string; name?: string }>>(await call(api, 'GET', `${url}?${q}`)).items;
      assert.deepEqual(filtered.map((x) => x.externalId ?? x.name).sort(), [...expect], `${url}?${q}`);
    }
    assert.equal(json<Page<unknown>>(await call(api, 'GET', '/v1/accounts?status=needs_reauth')).items.length, 0);
    assert.equal(json<Page<unknown>>(await call(api, 'GET', `/v1/accounts?updatedSince=2999-01-01T00:00:00Z`)).items.length, 0);

    const hooks = [];
    for (const d of ['one', 'two', 'three']) hooks.push(json<{ id: string }>(await call(api, 'POST', '/v1/webhooks', { body: { url: `http://127.0.0.1:9/${d}`, events: ['*'], description: d } })).id);
    assert.deepEqual((await all<{ id: string }>(api, '/v1/webhooks', 2)).map((h) => h.id), [...hooks].sort());
    assert.deepEqual(json<Page<{ description: string }>>(await call(api, 'GET', '/v1/webhooks?q=THREE')).items.map((h) => h.description), ['three']);
    assert.equal(json<Page<unknown>>(await call(api, 'GET', '/v1/webhooks?status=disabled')).items.length, 0);
    const deliveries = json<Page<unknown>>(await call(api, 'GET', `/v1/webhooks/${hooks[0]}/deliveries?status=pending&limit=5`));
    assert.ok(Array.isArray(deliveries.items));
    assert.equal(json<Err>(await call(api, 'GET', `/v1/webhooks/${hooks[0]}/deliveries?cursor=garbage!`)).error.code, 'INVALID_CURSOR');
    assert.equal(json<Err>(await call(api, 'GET', '/v1/accounts?cursor=bm9wZQ')).error.code, 'INVALID_CURSOR');
  });

  it('every list route takes limit, cursor, updatedSince, status and q and answers nextCursor', async () => {
    const doc = json<{ paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> }>> }>(await call(api, 'GET', '/openapi.json'));
    const lists = routesOf(api.app).filter((r) => r.method === 'GET' && r.url.startsWith('/v1/'));
    let count = 0;
    for (const r of lists) {
      const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]!.get!;
      const body = op.responses['200']!.content!['application/json']!.schema;
      if (!body.properties || !('items' in body.properties)) continue;
      count++;
      const names = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const p of ['limit', 'cursor', 'updatedSince', 'status', 'q']) assert.ok(names.includes(p), `${r.url} lacks ${p}`);
      assert.ok('nextCursor' in body.properties, `${r.url} lacks nextCursor`);
    }
    assert.ok(count >= 7, `${count} list routes`);
  });
});
