/**
 * What a write newly asks of its provider is checked before the write is accepted: an attendee
 * address that is none, or more than Microsoft 365 takes (500), was answered 201 and then parked as
 * a failing provider write; workingElsewhere on Google was accepted as free (also by ifFree) and
 * became busy there. What the event already had (the provider's own) is left alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Failure = { error: { code: string; message: string } };
type Saved = { id: string; attendees: Array<{ email: string }> };

const times = { start: at('2026-11-20T09:00:00Z'), end: at('2026-11-20T10:00:00Z') };
const people = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `guest${i}@example.com` }));

describe('attendees a client adds', () => {
  let api: TestApi;
  let outlook: string;
  let google: string;
  before(async () => {
    api = await startTestApi();
    const t = api.store.tenant(api.a.id);
    const account = await t.accounts.upsert({ provider: 'microsoft', externalId: 'lee@example.com' });
    [outlook] = (await t.calendars.upsertMany(account.id, [{ providerCalendarId: 'AAMk-cal', name: 'Calendar', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id) as [string];
    const ada = await t.accounts.upsert({ provider: 'google', externalId: 'ada@example.com' });
    [google] = (await t.calendars.upsertMany(ada.id, [{ providerCalendarId: 'ada@example.com', name: 'Ada', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id) as [string];
  });
  after(() => api.close());

  it('an attendee address that is none is 400 naming it; nothing is written', async () => {
    const r = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: 'Intro', ...times, attendees: [{ email: 'ada@example.com' }, { email: 'not-an-email' }] } });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(json<Failure>(r).error.code, 'VALIDATION_FAILED');
    assert.match(json<Failure>(r).error.message, /attendees\.1\.email: not an email address/);
    assert.equal((await api.store.tenant(api.a.id).events.list(api.a.calendarId)).length, 0);
  });

  it("an odd address the provider already holds is kept through a change of something else", async () => {
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'room', ...times, attendees: [{ email: 'Room 4 (Building B)' }, { email: 'me@example.com', self: true }] }));
    const [row] = await api.store.tenant(api.a.id).events.byUid(api.a.calendarId, 'room');
    const r = await call(api, 'PATCH', `/v1/events/${row!.id}`, { body: { title: 'Planning' } });
    assert.equal(r.statusCode, 200, r.body);
    const added = await call(api, 'PATCH', `/v1/events/${row!.id}`, { body: { attendees: [...json<Saved>(r).attendees, { email: 'bad address@x' }] } });
    assert.equal(added.statusCode, 400, added.body);
    assert.match(json<Failure>(added).error.message, /attendees\.2\.email/);
  });

  it('Microsoft 365 takes at most 500 attendees: 501 is 400 before anything is queued; other providers are not held to it', async () => {
    const many = await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: 'All hands', ...times, attendees: people(501) } });
    assert.equal(many.statusCode, 400, many.body);
    assert.match(json<Failure>(many).error.message, /attendees: Microsoft 365 takes at most 500 attendees per event, got 501/);
    assert.equal(json<{ items: unknown[] }>(await call(api, 'GET', `/v1/calendars/${outlook}/writes`)).items.length, 0, 'no write queued');
    assert.equal((await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: 'Town hall', ...times, attendees: people(500) } })).statusCode, 201);
    assert.equal((await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: 'All hands', ...times, attendees: people(501) } })).statusCode, 201);
  });

  it("workingElsewhere is refused on Google, which would hold it as busy; a working-location entry Google made keeps it; other providers take it", async () => {
    const r = await call(api, 'POST', `/v1/calendars/${google}/events?ifFree=true`, { body: { title: 'Client site', ...times, availability: 'workingElsewhere' } });
    assert.equal(r.statusCode, 400, r.body);
    assert.match(json<Failure>(r).error.message, /availability: Google Calendar holds an event as busy or free only/);
    await seed(api.store, api.a.id, google, ev({ uid: 'office-day', ...times, availability: 'workingElsewhere' }));
    const [row] = await api.store.tenant(api.a.id).events.byUid(google, 'office-day');
    assert.equal((await call(api, 'PATCH', `/v1/events/${row!.id}`, { body: { title: 'Office (Berlin)' } })).statusCode, 200, "Google's own working-location entry");
    assert.equal((await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: 'Client site', ...times, availability: 'workingElsewhere' } })).statusCode, 201);
  });

  // Both were 201, then came back busy from Google within a second (an `event.updated` saying so),
  // and free/busy with freeStatuses answered differently before and after the push.
  it('tentative and oof are refused on Google, which would hold them as busy; Graph and CalDAV take them', async () => {
    for (const availability of ['tentative', 'oof'] as const) {
      const r = await call(api, 'POST', `/v1/calendars/${google}/events`, { body: { title: availability, ...times, availability } });
      assert.equal(r.statusCode, 400, r.body);
      assert.match(json<Failure>(r).error.message, new RegExp(`availability: Google Calendar holds an event as busy or free only, so ${availability} would be busy there`));
      assert.equal((await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: availability, ...times, availability } })).statusCode, 201);
      assert.equal((await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: availability, ...times, availability } })).statusCode, 201);
    }
    const made = json<{ id: string }>(await call(api, 'POST', `/v1/calendars/${google}/events`, { body: { title: 'Maybe', ...times, status: 'tentative' } }));
    const patched = await call(api, 'PATCH', `/v1/events/${made.id}`, { body: { availability: 'tentative' } });
    assert.equal(patched.statusCode, 400, 'a busy Google event is not made tentative either');
    assert.match(json<Failure>(patched).error.message, /status: 'tentative', which Google holds/);
    await seed(api.store, api.a.id, google, ev({ uid: 'away', ...times, availability: 'oof' }));
    const [row] = await api.store.tenant(api.a.id).events.byUid(google, 'away');
    assert.equal((await call(api, 'PATCH', `/v1/events/${row!.id}`, { body: { title: 'Away (conference)' } })).statusCode, 200, "Google's own out-of-office entry keeps its kind");
  });

  // Graph holds one pattern per series, of its own kinds: these were 201, counted as busy and were
  // mirrored, then failed at every push and parked (the sandbox's busy-block rule copied them).
  it('a recurrence Microsoft 365 cannot hold is 400 on its calendars before anything is queued; others take it', async () => {
    const weekly = { ...times, start: at('2026-11-18T09:00:00Z'), end: at('2026-11-18T10:00:00Z') }; // a Wednesday
    const queued = async () => json<{ items: unknown[] }>(await call(api, 'GET', `/v1/calendars/${outlook}/writes`)).items.length;
    const before = await queued();
    for (const rule of ['FREQ=MONTHLY;BYDAY=1MO,3MO', 'FREQ=MONTHLY;BYDAY=5MO', 'FREQ=MONTHLY;BYMONTHDAY=1,15', 'FREQ=WEEKLY;BYDAY=MO']) {
      const r = await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: rule, ...weekly, recurrence: { rrules: [rule] } } });
      assert.equal(r.statusCode, 400, `${rule}: ${r.body}`);
      assert.match(json<Failure>(r).error.message, /Microsoft Graph cannot store the recurrence/);
      assert.equal((await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: rule, ...weekly, recurrence: { rrules: [rule] } } })).statusCode, 201, rule);
    }
    assert.equal(await queued(), before, 'no write queued');
    assert.equal((await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: 'Weekly', ...weekly, recurrence: { rrules: ['FREQ=WEEKLY;BYDAY=WE'] } } })).statusCode, 201);
  });

  it('a series on Microsoft 365 cannot get a cancelled occurrence back by dropping its exdate', async () => {
    const series = await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: 'Daily', ...times, recurrence: { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [at('2026-11-21T09:00:00Z')] } } });
    assert.equal(series.statusCode, 201, series.body);
    const id = json<Saved>(series).id;
    const dropped = await call(api, 'PATCH', `/v1/events/${id}`, { body: { recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } } });
    assert.equal(dropped.statusCode, 400, dropped.body);
    assert.match(json<Failure>(dropped).error.message, /cannot bring back a cancelled occurrence/);
    const kept = await call(api, 'PATCH', `/v1/events/${id}`, { body: { title: 'Daily (renamed)' } });
    assert.equal(kept.statusCode, 200, kept.body);
  });

  // Connected with read or freebusy access, the provider refuses every write: each was a 201 and then
  // a failing push that counted as busy until it parked (a reconnect with less access did the same).
  it("under a chosen zone Microsoft 365 has no Windows name for, an all-day event is taken (held in the mailbox's zone), a floating one is 400", async () => {
    assert.equal((await call(api, 'PATCH', `/v1/calendars/${outlook}`, { body: { timeZone: 'Antarctica/Troll' } })).statusCode, 200);
    try {
      const day = await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: 'Away', start: { date: '2026-11-23' }, end: { date: '2026-11-24' } } });
      assert.equal(day.statusCode, 201, day.body);
      const floating = await call(api, 'POST', `/v1/calendars/${outlook}/events`, { body: { title: 'Call', start: { local: '2026-11-23T09:00:00' }, end: { local: '2026-11-23T10:00:00' } } });
      assert.equal(floating.statusCode, 400, floating.body);
      assert.match(json<Failure>(floating).error.message, /no Windows time zone for "Antarctica\/Troll"/);
    } finally {
      await call(api, 'PATCH', `/v1/calendars/${outlook}`, { body: { timeZone: null } });
    }
  });

  it('a write to a calendar of an account connected to read is 409 ACCOUNT_READ_ONLY; readwrite writes', async () => {
    const t = api.store.tenant(api.a.id);
    const grant = (access: 'read' | 'freebusy' | 'readwrite') =>
      api.hub.tokens.encrypt({ accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 3_600_000, scope: '', app: 'default', access });
    for (const access of ['read', 'freebusy', 'readwrite'] as const) {
      const account = await t.accounts.upsert({ provider: 'google', externalId: `${access}@example.com`, credentials: grant(access) });
      const [cal] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: `${access}@example.com`, name: access, timeZone: 'UTC', color: null, readOnly: false }]);
      const r = await call(api, 'POST', `/v1/calendars/${cal!.id}/events`, { body: { title: 'Lunch', ...times } });
      if (access === 'readwrite') assert.equal(r.statusCode, 201, r.body);
      else {
        assert.equal(r.statusCode, 409, r.body);
        assert.equal(json<Failure>(r).error.code, 'ACCOUNT_READ_ONLY');
        assert.match(json<Failure>(r).error.message, new RegExp(`connected with ${access} access`));
      }
    }
  });
});
