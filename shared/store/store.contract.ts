/** The store contract: the same tests against every driver (PGlite and a PostgreSQL server). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventTimeKey, objectHash, parseEvent, type CanonicalEventInput } from '../model/index.ts';
import { busyHorizonSpans } from './busy.ts';
import { resolveCalendars } from './event-queries.ts';
import type { IncomingChange } from './events.ts';
import type { Store } from './store.ts';

const ev = (input: Partial<CanonicalEventInput> & { uid: string }): CanonicalEventInput => ({
  start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' },
  end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' },
  title: 'meeting',
  ...input,
});
const up = (remoteId: string, ...events: CanonicalEventInput[]): IncomingChange => ({
  kind: 'upsert',
  remoteId,
  version: `"${Math.random()}"`,
  events: events.map((e) => parseEvent(e)),
});
const WINDOW = [new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')] as const;
const spans = (rows: Array<{ start: Date; end: Date; status: string }>) =>
  rows.map((r) => `${r.start.toISOString().slice(0, 16)}/${r.end.toISOString().slice(11, 16)} ${r.status}`);

export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let tenantA: string;
    let tenantB: string;
    let calA: string;

    before(async () => {
      store = await open();
      await store.migrate();
      tenantA = (await store.tenants.create('A')).tenant.id;
      tenantB = (await store.tenants.create('B')).tenant.id;
      const acc = await store.tenant(tenantA).accounts.upsert({ provider: 'memory', externalId: 'a@example.com' });
      const [cal] = await store.tenant(tenantA).calendars.upsertMany(acc.id, [
        { providerCalendarId: 'primary', name: 'Work', timeZone: 'Europe/Berlin', color: null, readOnly: false },
      ]);
      calA = cal!.id;
    });
    after(async () => store?.close());

    it('migrations are numbered and re-running them applies nothing', async () => {
      assert.deepEqual(await store.migrate(), []);
    });

    it('API keys authenticate their tenant and are stored only as hashes', async () => {
      const { tenant, apiKey } = await store.tenants.create('keys');
      assert.equal((await store.tenants.authenticate(apiKey))?.id, tenant.id);
      assert.equal(await store.tenants.authenticate(apiKey + 'x'), null);
      const rows = await store.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE tenant_id = $1', [tenant.id]);
      assert.equal(rows.length, 1);
      assert.notEqual(rows[0]!.key_hash, apiKey);
      assert.ok(!rows[0]!.key_hash.includes(apiKey.slice(4)));
    });

    it('re-linking an account keeps its id; other tenants cannot see it', async () => {
      const a = store.tenant(tenantA).accounts;
      const first = await a.upsert({ provider: 'caldav', externalId: 'https://dav.example/p/', displayName: 'one' });
      const again = await a.upsert({ provider: 'caldav', externalId: 'https://dav.example/p/', displayName: 'two' });
      assert.equal(again.id, first.id);
      assert.equal(again.displayName, 'two');
      assert.equal(await store.tenant(tenantB).accounts.get(first.id), null);
      assert.equal((await store.tenant(tenantB).accounts.list()).length, 0);
      assert.equal(await store.tenant(tenantB).accounts.delete(first.id), false);
    });

    it('a tenant cannot attach calendars to another tenant\'s account', async () => {
      const acc = (await store.tenant(tenantA).accounts.list())[0]!;
      const made = await store.tenant(tenantB).calendars.upsertMany(acc.id, [
        { providerCalendarId: 'evil', name: 'x', timeZone: null, color: null, readOnly: false },
      ]);
      assert.equal(made.length, 0);
      assert.equal(await store.tenant(tenantB).calendars.get(calA), null);
    });

    it('one sync per calendar: a second claim fails until release or staleness', async () => {
      const c = store.tenant(tenantA).calendars;
      assert.equal(await c.claimSync(calA, 'w1', 60_000), true);
      assert.equal(await c.claimSync(calA, 'w2', 60_000), false);
      assert.equal(await store.tenant(tenantB).calendars.claimSync(calA, 'w3', 0), false);
      await c.releaseSync(calA, 'w2', { ok: true }); // not the owner: no effect
      assert.equal(await c.claimSync(calA, 'w2', 60_000), false);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await c.claimSync(calA, 'w2', 5), true, 'a stale run can be taken over');
      await c.releaseSync(calA, 'w2', { ok: false, error: 'boom' });
      const cal = await c.get(calA);
      assert.equal(cal?.syncStage, 'failed');
      assert.equal(cal?.failureCount, 1);
      assert.equal(cal?.lastError, 'boom');
      assert.equal(await c.claimSync(calA, 'w1', 60_000), true);
      await c.releaseSync(calA, 'w1', { ok: true });
      assert.equal((await c.get(calA))?.failureCount, 0);
    });

    it('applies upserts, updates and deletes with the cursor, keeping the busy index current', async () => {
      const e = store.tenant(tenantA).events;
      await e.applyRemoteChanges(calA, [up('r1', ev({ uid: 'u1' })), up('r2', ev({ uid: 'u2', availability: 'free' }))], { cursor: 'c1' });
      assert.equal((await store.tenant(tenantA).calendars.get(calA))?.syncCursor, 'c1');
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...WINDOW)), ['2026-11-10T09:00/10:00 busy']);
      await e.applyRemoteChanges(calA, [up('r1', ev({ uid: 'u1', start: { dateTime: '2026-11-11T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-11T09:30:00Z', timeZone: 'UTC' }, status: 'tentative' }))]);
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...WINDOW)), ['2026-11-11T09:00/09:30 tentative']);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'r1' }], { cursor: 'c2' });
      assert.deepEqual(await store.tenant(tenantA).busy([calA], ...WINDOW), []);
      assert.deepEqual((await e.list(calA)).map((x) => x.remoteId), ['r2']);
      assert.deepEqual(await store.tenant(tenantB).busy([calA], ...WINDOW), [], 'busy spans leaked across tenants');
      assert.deepEqual(await store.tenant(tenantB).events.list(calA), []);
      await assert.rejects(store.tenant(tenantB).events.applyRemoteChanges(calA, [up('x', ev({ uid: 'x' }))]), /not found/);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'r2' }]);
    });

    it('a page made ahead hands the plan the object hash of what it made, only for those parsed events', async () => {
      const t = store.tenant(tenantA);
      const e = t.events;
      const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'made-ahead@example.com' });
      const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: 'ahead', name: 'Ahead', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
      const calId = cal!.id;
      // A page is made ahead only once the calendar's horizon is fixed (by its first write).
      await e.applyRemoteChanges(calId, [up('hash-0', ev({ uid: 'hash-0' }))]);
      const series = up('hash-1', ev({ uid: 'hash-1', recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } }), ev({ uid: 'hash-1', originalStart: { dateTime: '2026-11-11T09:00:00Z', timeZone: 'UTC' }, title: 'moved' }));
      const raw: IncomingChange = { kind: 'upsert', remoteId: 'hash-2', version: '"1"', events: [ev({ uid: 'hash-2', status: undefined }) as never] };
      const page = await e.prepare(calId, [series, raw]);
      if (store.driver !== 'postgres') return assert.equal(page, null);
      assert.ok(page);
      const upsert = series as Extract<IncomingChange, { kind: 'upsert' }>;
      assert.equal(page.objectHash(upsert), objectHash(upsert.events));
      // Another change object (one the screen replaced) or events that were not all parsed: not known here.
      assert.equal(page.objectHash({ ...upsert }), undefined);
      assert.equal(page.objectHash(raw as Extract<IncomingChange, { kind: 'upsert' }>), undefined);
      await e.applyRemoteChanges(calId, [series, raw], { prepared: page });
      assert.equal(page.objectHash(upsert), undefined);
    });

    it('expands a recurring series with a moved and a cancelled instance in the calendar zone', async () => {
      const e = store.tenant(tenantA).events;
      const master = ev({
        uid: 'series',
        start: { dateTime: '2026-11-02T08:00:00Z', timeZone: 'Europe/Berlin' },
        end: { dateTime: '2026-11-02T09:00:00Z', timeZone: 'Europe/Berlin' },
        recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] },
      });
      const moved = ev({ uid: 'series', originalStart: { dateTime: '2026-11-09T08:00:00Z', timeZone: 'Europe/Berlin' }, start: { dateTime: '2026-11-10T13:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-10T14:00:00Z', timeZone: 'Europe/Berlin' } });
      const cancelled = ev({ uid: 'series', originalStart: { dateTime: '2026-11-16T08:00:00Z', timeZone: 'Europe/Berlin' }, start: { dateTime: '2026-11-16T08:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-16T09:00:00Z', timeZone: 'Europe/Berlin' }, status: 'cancelled' });
      const allDay = ev({ uid: 'holiday', start: { date: '2026-11-20' }, end: { date: '2026-11-21' } });
      const r = await e.applyRemoteChanges(calA, [up('s.ics', master, moved, cancelled), up('h.ics', allDay)]);
      assert.equal(r.quarantined, 0);
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...WINDOW)), [
        '2026-11-02T08:00/09:00 busy',
        '2026-11-10T13:00/14:00 busy',
        '2026-11-19T23:00/23:00 busy', // Berlin midnight to midnight
        '2026-11-23T08:00/09:00 busy',
      ]);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 's.ics' }, { kind: 'delete', remoteId: 'h.ics' }]);
    });

    it('quarantines an unreadable item while the rest of the page applies, and heals it later', async () => {
      const e = store.tenant(tenantA).events;
      const broken = { ...parseEvent(ev({ uid: 'bad' })), start: { dateTime: 'not a time', timeZone: 'UTC' } };
      const r = await e.applyRemoteChanges(calA, [
        up('good', ev({ uid: 'good' })),
        { kind: 'invalid', remoteId: 'raw.ics', version: '"1"', error: 'line 3: expected ":"', raw: 'BEGIN:VCALENDAR\nBAD' },
        { kind: 'upsert', remoteId: 'bad', version: '"1"', events: [broken] },
      ]);
      assert.equal(r.quarantined, 2);
      const q = await e.quarantined(calA);
      assert.deepEqual(q.map((x) => x.remoteId).sort(), ['bad', 'raw.ics']);
      assert.match(q.find((x) => x.remoteId === 'bad')!.error, /start/);
      assert.deepEqual((await e.list(calA)).map((x) => x.event.uid), ['good']);
      assert.deepEqual(await store.tenant(tenantB).events.quarantined(), []);
      await e.applyRemoteChanges(calA, [up('raw.ics', ev({ uid: 'fixed' })), { kind: 'delete', remoteId: 'bad' }]);
      assert.deepEqual(await e.quarantined(calA), []);
    });

    it('keeps the rows of a stored object that comes back unreadable, as unreadable, until a readable version or a delete', async () => {
      const e = store.tenant(tenantA).events;
      await e.applyRemoteChanges(calA, [up('kept.ics', ev({ uid: 'kept', title: 'Kept' }))]);
      const [row] = await e.byUid(calA, 'kept');
      const broken = { ...parseEvent(ev({ uid: 'kept' })), start: { dateTime: 'not a time', timeZone: 'UTC' } };
      for (const c of [{ kind: 'invalid' as const, remoteId: 'kept.ics', version: '"2"', error: 'line 3: expected ":"', raw: null }, { kind: 'upsert' as const, remoteId: 'kept.ics', version: '"3"', events: [broken] }]) {
        const r = await e.applyRemoteChanges(calA, [c]);
        assert.deepEqual(r.quarantinedIds, ['kept.ics']);
        assert.deepEqual((await e.byUid(calA, 'kept')).map((x) => [x.id, x.contentHash, x.event.title]), [[row!.id, row!.contentHash, 'Kept']]);
        assert.equal((await e.rowBusy(calA, 'kept')).length, 1);
        assert.deepEqual([...(await e.unreadable(calA, ['kept.ics', 'other.ics']))], ['kept.ics']);
        assert.deepEqual((await e.unreadableOfUid(calA, 'kept')).map((q) => q.remoteId), ['kept.ics']);
      }
      assert.deepEqual([...(await store.tenant(tenantB).events.unreadable(calA))], [], 'another tenant sees none');
      await e.applyRemoteChanges(calA, [up('kept.ics', ev({ uid: 'kept', title: 'Kept again' }))]);
      assert.deepEqual((await e.byUid(calA, 'kept')).map((x) => [x.id, x.event.title]), [[row!.id, 'Kept again']]);
      assert.deepEqual(await e.unreadableOfUid(calA, 'kept'), []);
      await e.applyRemoteChanges(calA, [{ kind: 'invalid', remoteId: 'kept.ics', version: '"4"', error: 'bad', raw: null }]);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'kept.ics' }]);
      assert.deepEqual(await e.byUid(calA, 'kept'), []);
      assert.deepEqual(await e.quarantined(calA), []);
    });

    it('quarantines an object with text the database refuses, by name, and stores text that only looks like an escape', async () => {
      const e = store.tenant(tenantA).events;
      const r = await e.applyRemoteChanges(calA, [
        up('txt-nul', ev({ uid: 'txt-nul', title: 'a\u0000b' })),
        up('txt-sur', ev({ uid: 'txt-sur' }), ev({ uid: 'txt-sur', originalStart: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, description: 'x\uD800y' })),
        up('txt-ok', ev({ uid: 'txt-ok', title: 'C:\\users\\u0000 and \\ud800', description: 'emoji \u{1F600} stays' })),
      ]);
      assert.equal(r.quarantined, 2);
      const q = new Map((await e.quarantined(calA)).map((x) => [x.remoteId, x.error]));
      assert.equal(q.get('txt-nul'), 'unstorable text: event.0.title contains a NUL character');
      assert.equal(q.get('txt-sur'), 'unstorable text: event.1.description contains a lone UTF-16 surrogate');
      const ok = (await e.list(calA)).find((x) => x.event.uid === 'txt-ok')!;
      assert.equal(ok.event.title, 'C:\\users\\u0000 and \\ud800');
      assert.equal(ok.event.description, 'emoji \u{1F600} stays');
      await e.applyRemoteChanges(calA, ['txt-nul', 'txt-sur', 'txt-ok'].map((remoteId) => ({ kind: 'delete' as const, remoteId })));
      await store.db.query(`DELETE FROM quarantine WHERE calendar_id = $1 AND remote_id LIKE 'txt-%'`, [calA]);
    });

    it('bumps busy_version with every change to the busy index, in the same transaction, tenant-scoped', async () => {
      const version = async () => Number((await resolveCalendars(store.db, tenantA, [calA], [])).calendars[0]!.busyVersion);
      const e = store.tenant(tenantA).events;
      const v0 = await version();
      await e.applyRemoteChanges(calA, [up('ver-1', ev({ uid: 'ver-1' }))]);
      const v1 = await version();
      assert.ok(v1 > v0, 'applyRemoteChanges did not bump busy_version');
      const loaded = await busyHorizonSpans(store.db, tenantA, [calA]);
      assert.equal(loaded[0]!.busyVersion, String(v1));
      assert.ok(loaded[0]!.spans.some((x) => x[3] === 'ver-1' && x[2] === 'busy' && x[1] - x[0] === 3_600_000));
      await e.writeLocal(calA, 'ver-1', [parseEvent(ev({ uid: 'ver-1', status: 'tentative' }))]);
      const v2 = await version();
      assert.ok(v2 > v1, 'writeLocal did not bump busy_version');
      await assert.rejects(
        store.tenant(tenantA).transaction(async (t) => {
          await t.events.applyRemoteChanges(calA, [up('ver-2', ev({ uid: 'ver-2' }))]);
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(await version(), v2, 'a rolled-back write bumped busy_version');
      await store.db.query(`UPDATE busy_horizons SET end_at = end_at - interval '30 days' WHERE calendar_id = $1`, [calA]);
      assert.equal(await store.extendHorizons(), 1);
      assert.ok((await version()) > v2, 'extendHorizons did not bump busy_version');
      assert.deepEqual(await busyHorizonSpans(store.db, tenantB, [calA]), [], 'busy spans leaked across tenants');
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'ver-1' }]);
    });

    it('rebuilds busy spans only when busy-relevant content changes', async () => {
      const e = store.tenant(tenantA).events;
      const version = async () => (await resolveCalendars(store.db, tenantA, [calA], [])).calendars[0]!.busyVersion;
      const at = (h: number) => ({ dateTime: `2026-11-12T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
      await e.applyRemoteChanges(calA, [up('skip-1', ev({ uid: 'skip-1', start: at(9), end: at(10) }))]);
      const v0 = await version();
      const r = await e.applyRemoteChanges(calA, [up('skip-1', ev({ uid: 'skip-1', start: at(9), end: at(10), title: 'renamed' }))]);
      assert.equal(r.busyRows, 0);
      assert.equal(await version(), v0, 'a title change bumped busy_version');
      assert.equal((await e.byUid(calA, 'skip-1'))[0]!.event.title, 'renamed');
      const day = [new Date('2026-11-12T00:00:00Z'), new Date('2026-11-13T00:00:00Z')] as const;
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...day)), ['2026-11-12T09:00/10:00 busy']);
      await e.applyRemoteChanges(calA, [up('skip-1', ev({ uid: 'skip-1', start: at(9), end: at(10), title: 'renamed', attendees: [{ email: 'me@x', self: true, response: 'declined' }] }))]);
      assert.deepEqual(await store.tenant(tenantA).busy([calA], ...day), [], 'declining did not free the time');
      await e.applyRemoteChanges(calA, [up('skip-1', ev({ uid: 'skip-1', start: at(11), end: at(12) }))]);
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...day)), ['2026-11-12T11:00/12:00 busy']);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'skip-1' }]);
    });

    it('expands overrides stored under their own remote ids with their master, across pages', async () => {
      const e = store.tenant(tenantA).events;
      const utc = (d: string) => ({ dateTime: `2026-11-${d}:00Z`, timeZone: 'UTC' });
      const master = ev({ uid: 'g-series', start: utc('03T08:00'), end: utc('03T09:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } });
      const moved = ev({ uid: 'g-series', originalStart: utc('04T08:00'), start: utc('04T15:00'), end: utc('04T16:00') });
      const week = [new Date('2026-11-03T00:00:00Z'), new Date('2026-11-06T00:00:00Z')] as const;
      await e.applyRemoteChanges(calA, [up('g-master', master)]);
      await e.applyRemoteChanges(calA, [up('g-moved', moved)]);
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...week)), ['2026-11-03T08:00/09:00 busy', '2026-11-04T15:00/16:00 busy', '2026-11-05T08:00/09:00 busy']);
      await e.applyRemoteChanges(calA, [up('g-master', { ...master, recurrence: { rrules: ['FREQ=DAILY;COUNT=2'] } })]);
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...week)), ['2026-11-03T08:00/09:00 busy', '2026-11-04T15:00/16:00 busy']);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'g-master' }]);
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...week)), ['2026-11-04T15:00/16:00 busy']);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'g-moved' }]);
      assert.deepEqual(await store.tenant(tenantA).busy([calA], ...week), []);
    });

    it('an object that settles its UID takes the rows of it no push has sent that it does not carry, and no others', async () => {
      const t = store.tenant(tenantA);
      const utc = (d: string) => ({ dateTime: `2026-11-${d}:00Z`, timeZone: 'UTC' });
      const master = ev({ uid: 'settle', start: utc('03T08:00'), end: utc('03T09:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } });
      const moved = (day: string, hour: number) => ev({ uid: 'settle', originalStart: utc(`${day}T08:00`), start: utc(`${day}T${hour}:00`), end: utc(`${day}T${hour + 1}:00`) });
      const week = [new Date('2026-11-03T00:00:00Z'), new Date('2026-11-06T00:00:00Z')] as const;
      await t.events.applyRemoteChanges(calA, [up('settle.ics', master)]);
      // The hub's own new overrides of two occurrences, and an event of another UID, none sent yet.
      await t.events.writeLocal(calA, 'settle', [{ ...master, providerEventId: 'settle.ics' }, moved('04', 15), moved('05', 16)].map((x) => parseEvent(x)));
      await t.events.writeLocal(calA, 'settle-other', [parseEvent(ev({ uid: 'settle-other', start: utc('05T18:00'), end: utc('05T19:00') }))]);
      // The provider's object: the 4th cancelled by an EXDATE, the 5th overridden there.
      const cancelled = { ...master, recurrence: { rrules: ['FREQ=DAILY;COUNT=3'], exdates: [utc('04T08:00')] } };
      const page = up('settle.ics', cancelled, moved('05', 11));
      await t.events.applyRemoteChanges(calA, [page.kind === 'upsert' ? { ...page, settlesUnsent: true } : page]);
      const rows = (await t.events.list(calA)).filter((x) => x.event.uid.startsWith('settle'));
      assert.deepEqual(rows.map((x) => [x.event.uid, x.event.originalStart ? eventTimeKey(x.event.originalStart) : null, x.remoteId]), [
        ['settle', null, 'settle.ics'],
        ['settle', '2026-11-05T08:00:00Z', 'settle.ics'],
        ['settle-other', null, null],
      ]);
      // The override gone is no busy time left over.
      assert.deepEqual(spans(await t.busy([calA], ...week)), ['2026-11-03T08:00/09:00 busy', '2026-11-05T11:00/12:00 busy', '2026-11-05T18:00/19:00 busy']);
      await t.events.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'settle.ics' }]);
      await t.events.writeLocal(calA, 'settle-other', []);
    });

    it('a deleted object that settles its UID takes the rows of it no push has sent, and no others', async () => {
      const t = store.tenant(tenantA);
      const utc = (d: string) => ({ dateTime: `2026-11-${d}:00Z`, timeZone: 'UTC' });
      const master = ev({ uid: 'gone', start: utc('03T08:00'), end: utc('03T09:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } });
      const moved = ev({ uid: 'gone', originalStart: utc('04T08:00'), start: utc('04T15:00'), end: utc('04T16:00') });
      await t.events.applyRemoteChanges(calA, [up('gone.ics', master)]);
      // The hub's new override of an occurrence (no remote id) and an unsent event of another UID.
      await t.events.writeLocal(calA, 'gone', [{ ...master, providerEventId: 'gone.ics' }, moved].map((x) => parseEvent(x)));
      await t.events.writeLocal(calA, 'gone-other', [parseEvent(ev({ uid: 'gone-other', start: utc('05T18:00'), end: utc('05T19:00') }))]);
      await t.events.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'gone.ics', settlesUnsentOf: 'gone' }]);
      const rows = (await t.events.list(calA)).filter((x) => x.event.uid.startsWith('gone'));
      assert.deepEqual(rows.map((x) => [x.event.uid, x.remoteId]), [['gone-other', null]], 'no orphan override of the deleted series');
      assert.deepEqual(spans(await t.busy([calA], new Date('2026-11-03T00:00:00Z'), new Date('2026-11-06T00:00:00Z'))), ['2026-11-05T18:00/19:00 busy'], 'nor its busy time');
      await t.events.writeLocal(calA, 'gone-other', []);
    });

    it('a page made ahead is written as one made at the write; made for a horizon that moved since, it is made again', async () => {
      const t = store.tenant(tenantA);
      const [cal] = await t.calendars.upsertMany((await t.accounts.list())[0]!.id, [{ providerCalendarId: 'ahead', name: 'Ahead', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
      const id = cal!.id;
      const at = (d: string) => ({ dateTime: `2026-11-${d}:00Z`, timeZone: 'Europe/Berlin' });
      const page = (title: string) => [
        up('a-series', ev({ uid: 'a-series', title, start: at('02T08:00'), end: at('02T09:00'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } }), ev({ uid: 'a-series', title, originalStart: at('09T08:00'), start: at('10T13:00'), end: at('10T14:00') })),
        up('a-single', ev({ uid: 'a-single', title, start: at('20T10:00'), end: at('20T11:00') })),
        up('a-bad', ev({ uid: 'a-bad', title, recurrence: { rrules: ['FREQ=FORTNIGHTLY'] } })),
      ];
      await t.events.applyRemoteChanges(id, [up('a-first', ev({ uid: 'a-first' }))]); // fixes the horizon
      const first = page('one');
      const made = await t.events.prepare(id, first);
      // PGlite runs in this thread: nothing to gain by making pages ahead there.
      if (store.driver === 'postgres') assert.equal(made?.pending, 3);
      else assert.equal(made, null);
      const r = await t.events.applyRemoteChanges(id, first, { prepared: made });
      assert.equal(made?.pending ?? 0, 0);
      assert.equal(r.upserted, 3);
      assert.match((await t.events.quarantined(id)).find((q) => q.remoteId === 'a-bad')?.error ?? '', /cannot be expanded/);
      assert.deepEqual(spans(await t.busy([id], ...WINDOW)), ['2026-11-02T08:00/09:00 busy', '2026-11-10T09:00/10:00 busy', '2026-11-10T13:00/14:00 busy', '2026-11-16T08:00/09:00 busy', '2026-11-20T10:00/11:00 busy', '2026-11-23T08:00/09:00 busy']);

      // Made for the old horizon: taken, the rows' busy digests would name it, and a later write
      // of the same content would find them all changed.
      const hashes = async () => (await store.db.query<{ b: string | null }>('SELECT busy_hash AS b FROM events WHERE calendar_id = $1 ORDER BY uid, original_start_key', [id])).map((x) => x.b);
      const second = page('two');
      const stale = await t.events.prepare(id, second);
      await store.db.query(`UPDATE busy_horizons SET end_at = end_at - interval '30 days' WHERE calendar_id = $1`, [id]);
      await t.events.applyRemoteChanges(id, second, { prepared: stale });
      const written = await hashes();
      await t.events.applyRemoteChanges(id, page('two'));
      assert.deepEqual(await hashes(), written);
      assert.equal((await t.events.byUid(id, 'a-single'))[0]?.event.title, 'two');
    });

    it('quarantines a series that cannot be expanded again when it comes back unchanged', async () => {
      const e = store.tenant(tenantA).events;
      const bad = () => up('bad-rule', ev({ uid: 'bad-rule', recurrence: { rrules: ['FREQ=FORTNIGHTLY'] } }));
      assert.equal((await e.applyRemoteChanges(calA, [bad()])).busyRows, 0);
      assert.match((await e.quarantined(calA)).find((q) => q.remoteId === 'bad-rule')?.error ?? '', /cannot be expanded/);
      await e.applyRemoteChanges(calA, [bad()]);
      assert.match((await e.quarantined(calA)).find((q) => q.remoteId === 'bad-rule')?.error ?? '', /cannot be expanded/);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'bad-rule' }]);
      assert.deepEqual(await e.quarantined(calA), []);
    });

    it("a parked conflict keeps its outbox entry's ifFree (migration 0086); a later change without one keeps it, other outcomes and plain writes record none", async () => {
      // A tenant of its own: the other tests count tenant A's conflicts.
      const tenantId = (await store.tenants.create('if-free')).tenant.id;
      const t = store.tenant(tenantId);
      const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'iff@example.com' });
      const calA = (await t.calendars.upsertMany(acc.id, [{ providerCalendarId: 'primary', name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
      const c = (uid: string, outcome: 'parked' | 'remote') => ({ uid, remoteId: null, policy: 'manual', fields: [':start'], base: null, local: null, remote: null, outcome });
      await t.transaction(async (x) => {
        await x.outbox.upsert(calA, 'iff-1', 'put', 'all', false, [''], ['cal_other']);
        await x.outbox.upsert(calA, 'iff-1', 'put', null, false, [''], null); // a retitle since, without ifFree
        await x.outbox.upsert(calA, 'iff-2', 'put', null, false, [''], []);
        await x.outbox.upsert(calA, 'iff-3', 'put');
        await x.conflicts.record(calA, [c('iff-1', 'parked'), c('iff-2', 'remote'), c('iff-3', 'parked'), c('iff-4', 'parked')]);
        for (const uid of ['iff-1', 'iff-2', 'iff-3']) await x.outbox.done(calA, uid, null);
      });
      const all = (await t.conflicts.list()).filter((x) => x.uid.startsWith('iff-'));
      const got = await Promise.all(all.map(async (x) => [x.uid, await t.conflicts.ifFree(x.id)] as const));
      assert.deepEqual(got.sort(), [['iff-1', ['cal_other']], ['iff-2', null], ['iff-3', null], ['iff-4', null]]);
      await t.outbox.upsert(calA, 'iff-5', 'put', null, false, [''], []);
      await t.conflicts.record(calA, [c('iff-5', 'parked')]);
      const own = (await t.conflicts.list()).find((x) => x.uid === 'iff-5')!;
      assert.deepEqual(await t.conflicts.ifFree(own.id), [], 'its own calendar only');
    });

    it('a unit of work commits events, cursor, ledger, listing, outbox, conflicts, journal and mirror links together', async () => {
      const conflict = { uid: 'uow-1', remoteId: 'uow-r1', policy: 'manual', fields: ['title'], base: null, local: null, remote: null, outcome: 'parked' as const };
      const out = await store.tenant(tenantA).transaction(async (t) => {
        assert.equal(await t.calendars.claimSync(calA, 'uow-run', 60_000), true);
        assert.equal(await t.calendars.fence(calA, 'uow-run'), true);
        const applied = await t.events.applyRemoteChanges(calA, [up('uow-r1', ev({ uid: 'uow-1' }))], { cursor: 'uow-cursor' });
        await t.ledger.put(calA, [{ remoteId: 'uow-r1', uid: 'uow-1', base: [], baseHash: 'h1', providerVersion: '"v1"' }]);
        await t.listing.seen(calA, ['uow-r1']);
        await t.outbox.upsert(calA, 'uow-1', 'put');
        await t.conflicts.record(calA, [conflict]);
        await t.journal.add('uow-journal', { calendarId: calA, uid: 'uow-1', remoteId: 'uow-r1', op: 'create', before: null, after: [] });
        await t.mirror.putLink('uow-rule', calA, 'uow-src', 'uow-1');
        // Reads inside the unit see its own writes.
        assert.equal((await t.events.byUid(calA, 'uow-1')).length, 1);
        assert.equal((await t.ledger.byUid(calA, 'uow-1')).length, 1);
        return applied.upserted;
      });
      assert.equal(out, 1, 'the callback\'s value is returned');
      const t = store.tenant(tenantA);
      assert.equal((await t.calendars.get(calA))?.syncCursor, 'uow-cursor');
      assert.equal((await t.ledger.get(calA, ['uow-r1'])).get('uow-r1')?.providerVersion, '"v1"');
      assert.ok(!(await t.listing.unseen(calA)).includes('uow-r1'), 'the listing forgot what it saw');
      assert.deepEqual((await t.outbox.pending(calA)).map((o) => [o.uid, o.op]), [['uow-1', 'put']]);
      assert.deepEqual((await t.conflicts.list({ unresolvedOnly: true })).map((c) => [c.uid, c.outcome, c.resolvedAt]), [['uow-1', 'parked', null]]);
      assert.deepEqual((await t.journal.ofRun('uow-journal')).map((j) => [j.uid, j.op]), [['uow-1', 'create']]);
      const [journalled] = (await t.journal.runs()).filter((r) => r.runId === 'uow-journal');
      assert.deepEqual(journalled && [journalled.writes, journalled.created, journalled.updated, journalled.deleted, journalled.calendarIds], [1, 1, 0, 0, [calA]]);
      assert.deepEqual([...(await t.mirror.links('uow-rule'))], [['uow-src', 'uow-1']]);
      // Tenant-bound: another tenant sees none of it and cannot write to this calendar.
      const other = store.tenant(tenantB);
      assert.deepEqual(await other.conflicts.list(), []);
      assert.deepEqual(await other.outbox.pending(calA), []);
      assert.deepEqual(await other.journal.runs(), []);
      assert.equal(await other.calendars.fence(calA, 'uow-run'), false);
      await assert.rejects(other.transaction((x) => x.events.applyRemoteChanges(calA, [up('x', ev({ uid: 'x' }))])), /not found/);
      await t.transaction(async (x) => {
        await x.events.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'uow-r1' }], { cursor: null });
        await x.ledger.delete(calA, ['uow-r1']);
        await x.listing.reset(calA);
        assert.equal(await x.outbox.done(calA, 'uow-1', 'not-the-token'), false, 'a replaced entry stays');
        assert.equal(await x.outbox.done(calA, 'uow-1', null), true);
        await x.mirror.deleteLink('uow-rule', 'uow-src');
        await x.calendars.releaseSync(calA, 'uow-run', { ok: true });
      });
      assert.deepEqual(await t.outbox.pending(calA), []);
    });

    it('an outbox entry keeps the widest sendUpdates of the writes it joins; no preference leaves it as it was', async () => {
      const t = store.tenant(tenantA);
      const said = async () => (await t.outbox.pending(calA)).filter((o) => o.uid.startsWith('su-')).map((o) => [o.uid, o.sendUpdates]);
      await t.outbox.upsert(calA, 'su-1', 'put');
      await t.outbox.upsert(calA, 'su-2', 'put', 'none');
      await t.outbox.upsert(calA, 'su-3', 'put', 'all');
      assert.deepEqual(await said(), [['su-1', null], ['su-2', 'none'], ['su-3', 'all']]);
      await t.outbox.upsert(calA, 'su-1', 'put', 'externalOnly');
      await t.outbox.upsert(calA, 'su-2', 'put', 'all');
      await t.outbox.upsert(calA, 'su-3', 'delete', 'none');
      await t.outbox.upsert(calA, 'su-3', 'delete');
      assert.deepEqual(await said(), [['su-1', 'externalOnly'], ['su-2', 'all'], ['su-3', 'all']]);
      for (const uid of ['su-1', 'su-2', 'su-3']) await t.outbox.done(calA, uid, null);
    });

    it('an outbox entry keeps each changed occurrence\'s own sendUpdates (the widest of the writes that changed it) beside the widest of all', async () => {
      const t = store.tenant(tenantA);
      const said = async () => (await t.outbox.pending(calA)).filter((o) => o.uid === 'sk-1').map((o) => [o.sendUpdates, o.sendUpdatesByKey]);
      await t.outbox.upsert(calA, 'sk-1', 'put', 'all', false, ['2026-12-22T10:00:00Z']);
      await t.outbox.upsert(calA, 'sk-1', 'put', 'none', false, ['2026-12-15T10:00:00Z']);
      assert.deepEqual(await said(), [['all', { '2026-12-22T10:00:00Z': 'all', '2026-12-15T10:00:00Z': 'none' }]], 'the quiet answer stays quiet');
      await t.outbox.upsert(calA, 'sk-1', 'put', 'externalOnly', false, ['2026-12-15T10:00:00Z', '']);
      await t.outbox.upsert(calA, 'sk-1', 'put', 'none', false, ['2026-12-22T10:00:00Z']);
      await t.outbox.upsert(calA, 'sk-1', 'put', null, false, ['2026-12-29T10:00:00Z']);
      assert.deepEqual(await said(), [['all', { '2026-12-22T10:00:00Z': 'all', '2026-12-15T10:00:00Z': 'externalOnly', '': 'externalOnly' }]], 'widest per occurrence; no preference adds none');
      await t.outbox.done(calA, 'sk-1', null);
    });

    it('an outbox entry keeps a conference ask once any write it joins made one, until the provider refuses the entry', async () => {
      const t = store.tenant(tenantA);
      const asked = async () => (await t.outbox.pending(calA)).filter((o) => o.uid.startsWith('cf-')).map((o) => [o.uid, o.conference]);
      await t.outbox.upsert(calA, 'cf-1', 'put', null, true);
      await t.outbox.upsert(calA, 'cf-2', 'put');
      assert.deepEqual(await asked(), [['cf-1', true], ['cf-2', false]]);
      await t.outbox.upsert(calA, 'cf-1', 'put', 'none');
      await t.outbox.upsert(calA, 'cf-2', 'put', null, true);
      assert.deepEqual(await asked(), [['cf-1', true], ['cf-2', true]]);
      // Refused by the provider: the next edit without the ask is written without it.
      await t.outbox.failed(calA, 'cf-1', 'google: Invalid conference type value.', true);
      await t.outbox.upsert(calA, 'cf-1', 'put');
      assert.deepEqual(await asked(), [['cf-1', false], ['cf-2', true]]);
      for (const uid of ['cf-1', 'cf-2']) await t.outbox.done(calA, uid, null);
    });

    it('objects the hub wrote during a full listing under way are not taken for gone; with none under way nothing is kept', async () => {
      const t = store.tenant(tenantA);
      await t.listing.reset(calA);
      await t.ledger.put(calA, [
        { remoteId: 'wr-listed', uid: 'wr-1', base: [], baseHash: 'h', providerVersion: null },
        { remoteId: 'wr-pushed', uid: 'wr-2', base: [], baseHash: 'h', providerVersion: null },
      ]);
      // No listing under way: a written object is not recorded (the next listing starts afresh).
      await t.listing.written(calA, ['wr-pushed']);
      assert.ok((await t.listing.unseen(calA)).includes('wr-pushed'));
      // A listing's first page (resumed later, in another run), then an object the hub pushed.
      await t.listing.seen(calA, ['wr-listed']);
      await t.listing.written(calA, ['wr-pushed']);
      const gone = await t.listing.unseen(calA);
      assert.ok(!gone.includes('wr-pushed') && !gone.includes('wr-listed'), `unseen: ${gone.join(',')}`);
      await t.listing.reset(calA);
      await t.ledger.delete(calA, ['wr-listed', 'wr-pushed']);
    });

    it('objects the hub wrote are kept until a pull covers them; one written again since stays (migration 0085)', async () => {
      const t = store.tenant(tenantA);
      const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'ow@example.com' });
      const calB = (await t.calendars.upsertMany(acc.id, [{ providerCalendarId: 'ow-other', name: 'Other', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
      assert.deepEqual(await t.written.pending(calA), { remoteIds: [], upTo: null });
      await t.written.record(calA, ['ow-1', 'ow-2']);
      const seen = await t.written.pending(calA);
      assert.deepEqual(seen.remoteIds.sort(), ['ow-1', 'ow-2']);
      // Written again while the pull ran: its listing may not cover that write.
      await t.written.record(calA, ['ow-2']);
      await t.written.record(calB, ['ow-3']);
      await t.written.covered(calA, seen.upTo!);
      assert.deepEqual((await t.written.pending(calA)).remoteIds, ['ow-2']);
      assert.deepEqual((await t.written.pending(calB)).remoteIds, ['ow-3']);
      await t.written.covered(calA, (await t.written.pending(calA)).upTo!);
      await t.written.covered(calB, (await t.written.pending(calB)).upTo!);
      assert.deepEqual((await t.written.pending(calA)).remoteIds, []);
    });

    it('a unit of work that throws leaves nothing behind, and the throw reaches the caller', async () => {
      const t = store.tenant(tenantA);
      const cursor = (await t.calendars.get(calA))?.syncCursor ?? null;
      const busy = async () => (await resolveCalendars(store.db, tenantA, [calA], [])).calendars[0]!.busyVersion;
      const v0 = await busy();
      const boom = new Error('abort the unit');
      await assert.rejects(
        t.transaction(async (x) => {
          await x.events.writeLocal(calA, 'rb-1', [parseEvent(ev({ uid: 'rb-1' }))]);
          await x.events.applyRemoteChanges(calA, [up('rb-r2', ev({ uid: 'rb-2' }))], { cursor: 'rb-cursor' });
          await x.ledger.put(calA, [{ remoteId: 'rb-r2', uid: 'rb-2', base: [], baseHash: 'h', providerVersion: null }]);
          await x.listing.seen(calA, ['rb-r2']);
          await x.outbox.upsert(calA, 'rb-1', 'put');
          await x.conflicts.record(calA, [{ uid: 'rb-1', remoteId: null, policy: 'manual', fields: ['title'], base: null, local: null, remote: null, outcome: 'parked' }]);
          await x.journal.add('rb-run', { calendarId: calA, uid: 'rb-1', remoteId: null, op: 'create', before: null, after: null });
          await x.mirror.putLink('rb-rule', calA, 'rb-src', 'rb-1');
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.deepEqual(await t.events.byUid(calA, 'rb-1'), []);
      assert.deepEqual(await t.events.byUid(calA, 'rb-2'), []);
      assert.equal((await t.calendars.get(calA))?.syncCursor ?? null, cursor);
      assert.equal((await t.ledger.get(calA, ['rb-r2'])).size, 0);
      assert.deepEqual(await t.outbox.pending(calA), []);
      assert.deepEqual((await t.conflicts.list()).filter((c) => c.uid === 'rb-1'), []);
      assert.deepEqual(await t.journal.ofRun('rb-run'), []);
      assert.equal((await t.mirror.links('rb-rule')).size, 0);
      assert.equal(await busy(), v0, 'a rolled-back unit bumped busy_version');
      // A store error inside the unit rolls back the same way.
      await assert.rejects(
        t.transaction(async (x) => {
          await x.outbox.upsert(calA, 'rb-3', 'put');
          await x.events.lock('cal_does_not_exist');
        }),
        /not found/,
      );
      assert.deepEqual(await t.outbox.pending(calA), []);
    });

    it('keeps a series of back-to-back occurrences as one busy row with one range, exact at its ends', async () => {
      const e = store.tenant(tenantA).events;
      const series = ev({ uid: 'minutely', start: { dateTime: '2026-11-20T08:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-20T08:01:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=MINUTELY;COUNT=600'] } });
      const gapped = ev({ uid: 'gapped', start: { dateTime: '2026-11-21T08:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-21T08:10:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=HOURLY;COUNT=3'] } });
      await e.applyRemoteChanges(calA, [up('minutely', series), up('gapped', gapped)]);
      const rows = await store.db.query<{ uid: string; n: number }>(`SELECT uid, (SELECT count(*) FROM unnest(spans))::int AS n FROM busy_spans WHERE calendar_id = $1 AND uid IN ('minutely', 'gapped') ORDER BY uid`, [calA]);
      assert.deepEqual(rows.map((r) => [r.uid, r.n]), [['gapped', 3], ['minutely', 1]]);
      const day = (d: string) => [new Date(`${d}T00:00:00Z`), new Date(`${d}T23:59:00Z`)] as const;
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...day('2026-11-20'))), ['2026-11-20T08:00/18:00 busy']);
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], ...day('2026-11-21'))), ['2026-11-21T08:00/08:10 busy', '2026-11-21T09:00/09:10 busy', '2026-11-21T10:00/10:10 busy']);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'minutely' }, { kind: 'delete', remoteId: 'gapped' }]);
      assert.deepEqual(await store.tenant(tenantA).busy([calA], new Date('2026-11-20T00:00:00Z'), new Date('2026-11-22T00:00:00Z')), []);
    });

    it('indexes a series past expandSeries\' 5,000-occurrence cap, exactly to its last occurrence', async () => {
      const e = store.tenant(tenantA).events;
      // 12,000 back-to-back minutes (one range) and 6,000 separate half hours (6,000 ranges).
      const minutes = ev({ uid: 'long-min', start: { dateTime: '2026-11-01T00:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-01T00:01:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=MINUTELY;COUNT=12000'] } });
      const hours = ev({ uid: 'long-hour', start: { dateTime: '2027-01-01T00:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2027-01-01T00:30:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=HOURLY;COUNT=6000'] } });
      await e.applyRemoteChanges(calA, [up('long-min', minutes), up('long-hour', hours)]);
      // Minute 12,000 ends 200 h after the start; hour 6,000 starts 5,999 h after its start (2027-09-07T23:00Z).
      const lastMinute = await store.tenant(tenantA).busy([calA], new Date('2026-11-09T07:59:00Z'), new Date('2026-11-09T12:00:00Z'));
      assert.deepEqual(lastMinute.map((b) => [b.start.toISOString(), b.end.toISOString()]), [['2026-11-01T00:00:00.000Z', '2026-11-09T08:00:00.000Z']]);
      assert.deepEqual(await store.tenant(tenantA).busy([calA], new Date('2026-11-09T08:00:00Z'), new Date('2026-11-09T12:00:00Z')), []);
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], new Date('2027-09-07T21:45:00Z'), new Date('2027-09-08T12:00:00Z'))), ['2027-09-07T22:00/22:30 busy', '2027-09-07T23:00/23:30 busy']);
      await e.applyRemoteChanges(calA, [{ kind: 'delete', remoteId: 'long-min' }, { kind: 'delete', remoteId: 'long-hour' }]);
    });

    it('a page mixing new, changed, unchanged and moved rows stores exactly what it carries', async () => {
      const e = store.tenant(tenantA).events;
      const at = (h: number) => ({ dateTime: `2026-11-26T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
      const master = ev({ uid: 'mix-s', start: at(8), end: at(9), recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } });
      const moved = ev({ uid: 'mix-s', originalStart: { dateTime: '2026-11-27T08:00:00Z', timeZone: 'UTC' }, start: { dateTime: '2026-11-27T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-27T11:00:00Z', timeZone: 'UTC' } });
      await e.applyRemoteChanges(calA, [up('mix-a', ev({ uid: 'mix-a', start: at(12), end: at(13) })), up('mix-b', ev({ uid: 'mix-b', start: at(14), end: at(15) })), up('mix-s', master, moved)]);
      const before = new Map((await e.list(calA)).filter((x) => x.event.uid.startsWith('mix-')).map((x) => [`${x.event.uid} ${x.event.originalStart ? 'o' : 'm'}`, x.id]));
      // One page: mix-a renamed, mix-b unchanged, the override dropped from mix-s, mix-c new.
      const r = await e.applyRemoteChanges(calA, [
        up('mix-a', ev({ uid: 'mix-a', start: at(12), end: at(13), title: 'renamed' })),
        up('mix-b', ev({ uid: 'mix-b', start: at(14), end: at(15) })),
        up('mix-s', master),
        up('mix-c', ev({ uid: 'mix-c', start: at(16), end: at(17) })),
      ]);
      assert.equal(r.upserted, 4);
      const after = (await e.list(calA)).filter((x) => x.event.uid.startsWith('mix-'));
      assert.deepEqual(after.map((x) => [x.event.uid, x.event.title, x.event.originalStart === null]), [
        ['mix-a', 'renamed', true],
        ['mix-b', 'meeting', true],
        ['mix-c', 'meeting', true],
        ['mix-s', 'meeting', true],
      ]);
      // Rows that stay keep their ids.
      for (const x of after.filter((y) => y.event.uid !== 'mix-c')) assert.equal(x.id, before.get(`${x.event.uid} m`));
      assert.deepEqual(spans(await store.tenant(tenantA).busy([calA], new Date('2026-11-26T00:00:00Z'), new Date('2026-11-29T00:00:00Z'))), [
        '2026-11-26T08:00/09:00 busy',
        '2026-11-26T12:00/13:00 busy',
        '2026-11-26T14:00/15:00 busy',
        '2026-11-26T16:00/17:00 busy',
        '2026-11-27T08:00/09:00 busy',
        '2026-11-28T08:00/09:00 busy',
      ]);
      await e.applyRemoteChanges(calA, ['mix-a', 'mix-b', 'mix-s', 'mix-c'].map((remoteId) => ({ kind: 'delete' as const, remoteId })));
      assert.deepEqual((await e.list(calA)).filter((x) => x.event.uid.startsWith('mix-')), []);
    });

    it('events and busy spans belong to an existing calendar and go with it (account purge too)', async () => {
      const t = store.tenant(tenantA);
      const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'gone@example.com' });
      const [one, two] = await t.calendars.upsertMany(acc.id, [
        { providerCalendarId: 'one', name: 'One', timeZone: 'UTC', color: null, readOnly: false },
        { providerCalendarId: 'two', name: 'Two', timeZone: 'UTC', color: null, readOnly: false },
      ]);
      for (const c of [one!, two!]) await t.events.applyRemoteChanges(c.id, [up('g1', ev({ uid: 'g1' })), up('g2', ev({ uid: 'g2', recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } }))]);
      const held = async (cal: string) =>
        (await store.db.query<{ n: number }>('SELECT (SELECT count(*) FROM events WHERE calendar_id = $1)::int + (SELECT count(*) FROM busy_spans WHERE calendar_id = $1)::int AS n', [cal]))[0]!.n;
      assert.equal(await held(one!.id), 4);
      await store.db.query('DELETE FROM calendars WHERE id = $1', [one!.id]);
      assert.equal(await held(one!.id), 0);
      assert.equal(await held(two!.id), 4);
      const refused = (e: Error & { cause?: { code?: string } }) => e.cause?.code === '23503';
      await assert.rejects(store.db.query(`UPDATE events SET calendar_id = $2 WHERE calendar_id = $1`, [two!.id, one!.id]), refused);
      await t.purgeAccount(acc.id, [two!.id]);
      assert.equal(await held(two!.id), 0);
      // A row naming a calendar that does not exist is refused, as by a foreign key.
      await assert.rejects(
        store.db.query(`INSERT INTO events (id, tenant_id, calendar_id, uid, data, content_hash) VALUES ('evt_orphan', $1, $2, 'o', '{}', 'h')`, [tenantA, one!.id]),
        refused,
      );
      await assert.rejects(
        store.db.query(`INSERT INTO busy_spans (calendar_id, tenant_id, uid, event_key, status, spans) VALUES ($1, $2, 'o', '', 'busy', '{}')`, [two!.id, tenantA]),
        refused,
      );
    });

    it('a calendar listing read again: added, updated, missing, listed again; a purge takes one calendar and leaves its channel due', async () => {
      const t = store.tenant(tenantA);
      const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'lists@example.com' });
      const cal = (id: string, name = id, readOnly = false) => ({ providerCalendarId: id, name, timeZone: 'UTC', color: null, readOnly });
      await t.calendars.upsertMany(acc.id, [cal('a'), cal('b'), cal('c')]);
      const before = await t.calendars.list({ accountId: acc.id });
      const r1 = await t.calendars.applyListing(acc.id, [cal('a'), cal('b', 'Bee', true), cal('d')]);
      assert.deepEqual(r1.added.map((c) => c.providerCalendarId), ['d']);
      assert.deepEqual(r1.updated.map((c) => [c.providerCalendarId, c.name, c.accessRole]), [['b', 'Bee', 'reader']]);
      assert.deepEqual(r1.missing.map((c) => c.providerCalendarId), ['c']);
      assert.ok(r1.missing[0]!.missingSince, 'marked missing');
      const a = (await t.calendars.list({ accountId: acc.id })).find((c) => c.providerCalendarId === 'a')!;
      assert.equal(a.updatedAt, before.find((c) => c.providerCalendarId === 'a')!.updatedAt, 'an unchanged calendar is not written');
      const again = await t.calendars.applyListing(acc.id, [cal('a'), cal('b', 'Bee', true), cal('d')]);
      assert.equal(again.missing[0]!.missingSince, r1.missing[0]!.missingSince, 'still missing since the first listing');
      const r2 = await t.calendars.applyListing(acc.id, [cal('a'), cal('b', 'Bee', true), cal('c'), cal('d')]);
      assert.deepEqual([r2.added, r2.updated, r2.missing].map((x) => x.length), [0, 0, 0]);
      assert.deepEqual(r2.found.map((c) => [c.providerCalendarId, c.missingSince]), [['c', null]]);

      const byRemote = new Map((await t.calendars.list({ accountId: acc.id })).map((x) => [x.providerCalendarId, x]));
      const [c, d] = [byRemote.get('c'), byRemote.get('d')];
      await t.events.applyRemoteChanges(c!.id, [up('p1', ev({ uid: 'p1' }))]);
      await t.events.applyRemoteChanges(d!.id, [up('p2', ev({ uid: 'p2' }))]);
      await store.db.query(
        `INSERT INTO push_channels (calendar_id, tenant_id, account_id, provider, provider_calendar_id, time_zone, status, next_check_at) VALUES ($1, $2, $3, 'memory', 'c', 'UTC', 'active', now() + interval '3 days')`,
        [c!.id, tenantA, acc.id],
      );
      assert.deepEqual(await t.purgeCalendars([c!.id, 'cal_unknown']), [c!.id]);
      assert.equal(await t.calendars.get(c!.id), null);
      assert.equal((await t.events.list(c!.id)).length, 0);
      assert.equal((await t.events.list(d!.id)).length, 1, 'the other calendar keeps its events');
      const [ch] = await store.db.query<{ due: boolean }>('SELECT next_check_at <= now() AS due FROM push_channels WHERE calendar_id = $1', [c!.id]);
      assert.equal(ch?.due, true, "the supervisor's next pass stops the channel");
      assert.deepEqual(await store.tenant(tenantB).purgeCalendars([d!.id]), [], "another tenant's calendar is not purged");
    });

    it('applies a large page in one call', async () => {
      const e = store.tenant(tenantA).events;
      const page = Array.from({ length: 3000 }, (_, i) => up(`bulk-${i}`, ev({ uid: `bulk-${i}`, start: { dateTime: '2026-11-25T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-25T10:00:00Z', timeZone: 'UTC' } })));
      const r = await e.applyRemoteChanges(calA, page);
      assert.equal(r.upserted, 3000);
      assert.equal(r.busyRows, 3000);
      const busy = await store.tenant(tenantA).busy([calA], new Date('2026-11-25T00:00:00Z'), new Date('2026-11-26T00:00:00Z'));
      assert.equal(busy.length, 3000);
    });
  });
}
