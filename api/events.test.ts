import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };
type Instance = { eventId: string; uid: string; start: string; end: string; title: string | null; busyStatus: string | null; isOverride: boolean; allDay: boolean };
type Page<T> = { items: T[]; nextCursor: string | null };
type Ev = { id: string; uid: string; etag: string; title: string | null; calendarId: string; start: Record<string, string> };

describe('events, accounts and calendars', () => {
  let api: TestApi;
  let readOnlyCal: string;

  before(async () => {
    api = await startTestApi();
    const [ro] = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'holidays', name: 'Holidays', timeZone: 'Europe/Berlin', color: null, readOnly: true }]);
    readOnlyCal = ro!.id;
    await seed(
      api.store,
      api.a.id,
      api.a.calendarId,
      ev({ uid: 'single', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') }),
      ev({ uid: 'free', start: at('2026-11-10T11:00:00Z'), end: at('2026-11-10T12:00:00Z'), availability: 'free' }),
      ev({ uid: 'holiday', start: { date: '2026-11-11' }, end: { date: '2026-11-12' } }),
      ev({ uid: 'far', start: at('2027-06-01T09:00:00Z'), end: at('2027-06-01T10:00:00Z') }),
      [
        ev({ uid: 'daily', start: at('2026-11-09T07:00:00Z', 'Europe/Berlin'), end: at('2026-11-09T07:15:00Z', 'Europe/Berlin'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } }),
        ev({ uid: 'daily', originalStart: at('2026-11-11T07:00:00Z', 'Europe/Berlin'), start: at('2026-11-11T12:00:00Z', 'Europe/Berlin'), end: at('2026-11-11T12:15:00Z', 'Europe/Berlin'), title: 'moved standup' }),
      ],
    );
  });
  after(() => api.close());

  it('lists accounts and calendars, filtered by account', async () => {
    const acc = json<Page<{ id: string; provider: string }>>(await call(api, 'GET', '/v1/accounts'));
    assert.deepEqual(acc.items.map((a) => [a.id, a.provider]), [[api.a.accountId, 'memory']]);
    const cals = json<Page<{ id: string; timeZone: string; accessRole: string }>>(await call(api, 'GET', `/v1/calendars?accountId=${api.a.accountId}`));
    assert.deepEqual(cals.items.map((c) => c.id).sort(), [api.a.calendarId, readOnlyCal].sort());
    const one = json<{ id: string; timeZone: string; syncCursor?: string }>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}`));
    assert.equal(one.timeZone, 'Europe/Berlin');
    assert.equal(one.syncCursor, undefined, 'sync cursors stay internal');
    assert.equal((await call(api, 'GET', '/v1/calendars?accountId=acc_missing')).statusCode, 404);
  });

  it('lists expanded instances in a window, in start order, with overrides in place', async () => {
    const r = json<Page<Instance>>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?timeMin=2026-11-10T00:00:00Z&timeMax=2026-11-12T00:00:00Z`));
    assert.deepEqual(
      r.items.map((i) => `${i.start.slice(5, 16)} ${i.uid} ${i.busyStatus}`),
      ['11-10T08:00 daily busy', '11-10T09:00 single busy', '11-10T11:00 free null', '11-11T00:00 holiday busy', '11-11T13:00 daily busy'],
    );
    const moved = r.items.find((i) => i.isOverride)!;
    assert.equal(moved.title, 'moved standup');
    assert.equal(r.items.find((i) => i.uid === 'holiday')!.allDay, true);
    assert.equal(r.nextCursor, null);
  });

  it('pages many dense series by keyset without gaps or repeats, ties and events begun before the window included', async () => {
    const series = [0, 0, 3, 7, 11].map((offset, i) =>
      ev({ uid: `minutely-${i}`, start: at(`2028-01-01T00:${String(offset).padStart(2, '0')}:00Z`), end: at(`2028-01-01T00:${String(offset + 1).padStart(2, '0')}:00Z`), recurrence: { rrules: ['FREQ=MINUTELY;INTERVAL=2;COUNT=150'] } }));
    const [dense] = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'dense', name: 'Dense', timeZone: 'UTC', color: null, readOnly: false }]);
    await seed(api.store, api.a.id, dense!.id, ...series,
      ev({ uid: 'long', start: at('2027-12-30T00:00:00Z'), end: at('2028-01-01T02:00:00Z') }),
      [
        ev({ uid: 'hourly', start: at('2028-01-01T00:30:00Z'), end: at('2028-01-01T00:45:00Z'), recurrence: { rrules: ['FREQ=HOURLY;COUNT=6'] } }),
        ev({ uid: 'hourly', originalStart: at('2028-01-01T02:30:00Z'), start: at('2028-01-01T00:05:00Z'), end: at('2028-01-01T00:06:00Z'), title: 'moved' }),
      ]);
    const url = `/v1/calendars/${dense!.id}/events?timeMin=2028-01-01T00:00:00Z&timeMax=2028-01-02T00:00:00Z`;
    const all = json<Page<Instance>>(await call(api, 'GET', `${url}&limit=1000`));
    assert.equal(all.nextCursor, null);
    assert.equal(all.items.length, 5 * 150 + 1 + 6);
    for (const limit of [1, 37, 100]) {
      if (limit === 1) {
        // The first page holds only the event begun before the window; the second resumes before it.
        const one: Page<Instance> = json(await call(api, 'GET', `${url}&limit=1`));
        const two: Page<Instance> = json(await call(api, 'GET', `${url}&limit=1&cursor=${one.nextCursor}`));
        assert.deepEqual([...one.items, ...two.items], all.items.slice(0, 2));
        continue;
      }
      const seen: Instance[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Instance> = json(await call(api, 'GET', `${url}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`));
        assert.ok(page.items.length <= limit);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, all.items, `limit ${limit}`);
    }
  });

  it('pages instances with limit and cursor, and refuses a cursor from another window', async () => {
    const url = `/v1/calendars/${api.a.calendarId}/events?timeMin=2026-11-09T00:00:00Z&timeMax=2026-11-14T00:00:00Z`;
    const all = json<Page<Instance>>(await call(api, 'GET', url)).items;
    assert.equal(all.length, 8);
    const seen: Instance[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Instance> = json(await call(api, 'GET', `${url}&limit=3${cursor ? `&cursor=${cursor}` : ''}`));
      assert.ok(page.items.length <= 3);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, all);
    const first = json<Page<Instance>>(await call(api, 'GET', `${url}&limit=2`));
    const other = await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?timeMin=2026-11-09T00:00:00Z&timeMax=2026-11-15T00:00:00Z&cursor=${first.nextCursor}`);
    assert.equal(json<Err>(other).error.code, 'INVALID_CURSOR');
    assert.equal(json<Err>(await call(api, 'GET', `${url}&cursor=garbage!`)).error.code, 'INVALID_CURSOR');
    assert.equal(json<Err>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?timeMin=2026-11-09T00:00:00Z`)).error.code, 'INVALID_REQUEST');
  });

  it('lists stored masters, singles and overrides without a window, paged by id', async () => {
    const seen: Ev[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Ev> = json(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.map((e) => e.uid).sort(), ['daily', 'daily', 'far', 'free', 'holiday', 'single']);
    assert.equal(new Set(seen.map((e) => e.id)).size, 6);
  });

  it("refuses one calendar's cursor on another calendar, with and without a window", async () => {
    const [other] = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'cursor-other', name: 'Other', timeZone: 'UTC', color: null, readOnly: false }]);
    const win = 'timeMin=2026-11-09T00:00:00Z&timeMax=2026-11-16T00:00:00Z';
    for (const q of ['limit=1', `${win}&limit=1`]) {
      const first: Page<unknown> = json(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?${q}`));
      assert.ok(first.nextCursor, q);
      const r = await call(api, 'GET', `/v1/calendars/${other!.id}/events?${q}&cursor=${first.nextCursor}`);
      assert.equal(r.statusCode, 400, q);
      assert.deepEqual(json<Err>(r).error, { code: 'INVALID_CURSOR', message: "cursor belongs to another calendar's listing" });
    }
  });

  it('gets one event with its etag', async () => {
    const id = (await api.store.tenant(api.a.id).events.list(api.a.calendarId)).find((e) => e.event.uid === 'single')!.id;
    const r = await call(api, 'GET', `/v1/events/${id}`);
    assert.equal(r.statusCode, 200);
    const e = json<Ev>(r);
    assert.equal(e.uid, 'single');
    assert.equal(r.headers.etag, e.etag);
    assert.deepEqual(e.start, { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' });
  });

  it('creates, patches with If-Match and deletes an event; free/busy follows', async () => {
    const body = { title: 'Planning', start: at('2026-11-20T10:00:00Z', 'Europe/Berlin'), end: at('2026-11-20T11:00:00Z', 'Europe/Berlin') };
    const created = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body });
    assert.equal(created.statusCode, 201, created.body);
    const c = json<Ev>(created);
    assert.match(c.uid, /@calhub$/);
    assert.equal(created.headers.location, `/v1/events/${c.id}`);
    const fb = async () =>
      json<{ merged: unknown[] }>(await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], timeMin: '2026-11-20T00:00:00Z', timeMax: '2026-11-21T00:00:00Z' } })).merged;
    assert.deepEqual(await fb(), [{ start: '2026-11-20T10:00:00.000Z', end: '2026-11-20T11:00:00.000Z' }]);

    const stale = await call(api, 'PATCH', `/v1/events/${c.id}`, { body: { title: 'x' }, headers: { 'if-match': '"not-the-etag"' } });
    assert.equal(stale.statusCode, 412);
    // Not an etag at all is the client's mistake, not a change of the event.
    const garbage = await call(api, 'PATCH', `/v1/events/${c.id}`, { body: { title: 'x' }, headers: { 'if-match': 'garbage' } });
    assert.deepEqual([garbage.statusCode, json<{ error: { message: string } }>(garbage).error.message], [400, 'headers.if-match must be * or the quoted etags read earlier (the ETag header\'s value, such as "3f2a…")']);
    assert.equal(json<Err>(stale).error.code, 'PRECONDITION_FAILED');
    const patched = await call(api, 'PATCH', `/v1/events/${c.id}`, { body: { title: 'Planning (moved)', start: at('2026-11-20T14:00:00Z', 'Europe/Berlin'), end: at('2026-11-20T15:00:00Z', 'Europe/Berlin') }, headers: { 'if-match': c.etag } });
    assert.equal(patched.statusCode, 200, patched.body);
    const p = json<Ev>(patched);
    assert.equal(p.title, 'Planning (moved)');
    assert.notEqual(p.etag, c.etag);
    assert.deepEqual(await fb(), [{ start: '2026-11-20T14:00:00.000Z', end: '2026-11-20T15:00:00.000Z' }]);

    assert.equal((await call(api, 'DELETE', `/v1/events/${p.id}`, { headers: { 'if-match': c.etag } })).statusCode, 412);
    assert.equal((await call(api, 'DELETE', `/v1/events/${p.id}`, { headers: { 'if-match': p.etag } })).statusCode, 204);
    assert.equal((await call(api, 'GET', `/v1/events/${p.id}`)).statusCode, 404);
    assert.deepEqual(await fb(), []);
  });

  it('If-Match is checked inside the write: of two writers holding the same etag exactly one wins, the other gets 412', async () => {
    const created = json<Ev>(await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: 'Contested', start: at('2026-11-24T10:00:00Z'), end: at('2026-11-24T11:00:00Z') } }));
    const headers = { 'if-match': created.etag };
    // Both requests read the event before either writes: a check made before the write's transaction lets both through.
    const answers = await Promise.all(['First', 'Second'].map((title) => call(api, 'PATCH', `/v1/events/${created.id}`, { body: { title }, headers })));
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 412], answers.map((r) => r.body).join('\n'));
    const lost = answers.find((r) => r.statusCode === 412)!;
    assert.equal(json<Err>(lost).error.code, 'PRECONDITION_FAILED');
    const winner = json<Ev>(answers.find((r) => r.statusCode === 200)!);
    assert.equal((await api.store.tenant(api.a.id).events.get(winner.id))?.event.title, winner.title, 'the loser must not overwrite the winner');

    const [patch, del] = await Promise.all([
      call(api, 'PATCH', `/v1/events/${winner.id}`, { body: { title: 'Third' }, headers: { 'if-match': winner.etag } }),
      call(api, 'DELETE', `/v1/events/${winner.id}`, { headers: { 'if-match': winner.etag } }),
    ]);
    // 404: the delete had finished before the PATCH read the event.
    const outcome = `${patch.statusCode}/${del.statusCode}`;
    assert.ok(['200/412', '412/204', '404/204'].includes(outcome), `PATCH/DELETE with one etag: ${outcome}`);
  });

  it('a UID is created once: of two creates sent together exactly one is stored, the other gets 400 naming the uid', async () => {
    const body = { uid: 'twice@example.com', title: 'Twice', start: at('2026-11-25T10:00:00Z'), end: at('2026-11-25T11:00:00Z') };
    const answers = await Promise.all([1, 2].map(() => call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body })));
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [201, 400], answers.map((r) => r.body).join('\n'));
    assert.match(json<Err>(answers.find((r) => r.statusCode === 400)!).error.message, /an event with uid twice@example.com already exists in this calendar/);
    assert.equal((await api.store.tenant(api.a.id).events.byUid(api.a.calendarId, body.uid)).length, 1);
  });

  it('deleting an override cancels that occurrence and keeps the series', async () => {
    const rows = await api.store.tenant(api.a.id).events.list(api.a.calendarId);
    const override = rows.find((e) => e.event.uid === 'daily' && e.event.originalStart)!;
    assert.equal((await call(api, 'DELETE', `/v1/events/${override.id}`)).statusCode, 204);
    // As every provider models it (the engine's writer): the occurrence goes, the other days stay.
    const r = json<Page<Instance>>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?timeMin=2026-11-11T00:00:00Z&timeMax=2026-11-13T00:00:00Z`));
    assert.deepEqual(r.items.filter((i) => i.uid === 'daily').map((i) => i.start), ['2026-11-12T08:00:00+01:00']);
    assert.equal((await api.store.tenant(api.a.id).events.get(override.id))?.event.status, 'cancelled');
  });

  it('validates event bodies with the canonical model: 400 VALIDATION_FAILED naming the fields', async () => {
    const url = `/v1/calendars/${api.a.calendarId}/events`;
    const mixed = await call(api, 'POST', url, { body: { start: { date: '2026-11-20' }, end: at('2026-11-20T11:00:00Z') } });
    assert.equal(json<Err>(mixed).error.code, 'VALIDATION_FAILED');
    assert.match(json<Err>(mixed).error.message, /end/);
    const badTime = await call(api, 'POST', url, { body: { start: { dateTime: '2026-11-20 10:00', timeZone: 'Europe/Berlin' }, end: at('2026-11-20T11:00:00Z') } });
    assert.equal(json<Err>(badTime).error.code, 'VALIDATION_FAILED');
    assert.match(json<Err>(badTime).error.message, /start/);
    // A missing field is the schema's refusal, as on every route (it was VALIDATION_FAILED here alone).
    const missing = await call(api, 'POST', url, { body: { title: 'no times' } });
    assert.equal(json<Err>(missing).error.code, 'INVALID_REQUEST');
    assert.match(json<Err>(missing).error.message, /^body\.start is required/);
    const forged = await call(api, 'POST', url, { body: { ...ev({ uid: 'forged' }), provenance: { hub: 'calhub', tenantId: api.b.id, sourceEventId: 'x' } } });
    assert.equal(json<Err>(forged).error.code, 'VALIDATION_FAILED');
    assert.match(json<Err>(forged).error.message, /provenance/);
    const id = (await api.store.tenant(api.a.id).events.list(api.a.calendarId)).find((e) => e.event.uid === 'single')!.id;
    const uidChange = await call(api, 'PATCH', `/v1/events/${id}`, { body: { uid: 'other' } });
    assert.equal(json<Err>(uidChange).error.code, 'VALIDATION_FAILED');
    const wrongType = await call(api, 'PATCH', `/v1/events/${id}`, { body: { title: 42 } });
    assert.equal(wrongType.statusCode, 400);
    assert.match(json<Err>(wrongType).error.message, /title/);
  });

  it('refuses writes to read-only calendars with 409 CALENDAR_READ_ONLY', async () => {
    const r = await call(api, 'POST', `/v1/calendars/${readOnlyCal}/events`, { body: ev({ uid: 'nope' }) });
    assert.equal(r.statusCode, 409);
    assert.equal(json<Err>(r).error.code, 'CALENDAR_READ_ONLY');
  });

  it('answers 501 WRITES_UNAVAILABLE when the server has no writer', async () => {
    const bare = await startTestApi({ writes: false });
    try {
      const r = await call(bare, 'POST', `/v1/calendars/${bare.a.calendarId}/events`, { key: bare.a.key, body: ev({ uid: 'x' }) });
      assert.equal(r.statusCode, 501);
      assert.equal(json<Err>(r).error.code, 'WRITES_UNAVAILABLE');
    } finally {
      await bare.close();
    }
  });
});
