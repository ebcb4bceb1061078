/**
 * The connector conformance suite: every connector runs it against its real counterpart (memory
 * backend, emulator, Radicale, Xandikos). It checks the contract of connectors/connector.ts, not a
 * provider's extras: listing, paging (empty pages too), incremental changes, deletes, cursor
 * invalidation, write preconditions and error mapping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentHash, parseEvent, type CanonicalEvent, type CanonicalEventInput } from '../../shared/model/index.ts';
import type { CalendarConnector, ChangePage, ConnectorContext, RemoteCalendarRef, SyncCursor } from '../connector.ts';
import {
  GrantRevokedError,
  PreconditionFailedError,
  RateLimitedError,
  RemoteNotFoundError,
  SyncCursorInvalidError,
  TransientError,
} from '../errors.ts';
import type { ConformanceHarness, MakeHarness } from './harness.ts';

type Replica = Map<string, { version: string | null; events: CanonicalEvent[] }>;

/** Follows pages until hasMore is false; a page budget catches connectors that never finish. */
export async function drain(
  connector: CalendarConnector,
  ctx: ConnectorContext,
  cal: RemoteCalendarRef,
  cursor: SyncCursor | null,
  replica: Replica,
): Promise<{ cursor: SyncCursor; pages: ChangePage[] }> {
  const pages: ChangePage[] = [];
  const seenFull = new Set<string>();
  let next = cursor;
  for (let i = 0; i < 1000; i++) {
    const page = await connector.listChanges(ctx, cal, next);
    pages.push(page);
    for (const c of page.changes) {
      if (c.kind === 'upsert') replica.set(c.remoteId, { version: c.version, events: c.events });
      else if (c.kind === 'delete') replica.delete(c.remoteId);
      if (page.mode === 'full') seenFull.add(c.remoteId);
    }
    next = page.nextCursor;
    if (!page.hasMore) {
      // A full listing is complete: whatever it did not mention is gone.
      if (cursor === null) for (const id of [...replica.keys()]) if (!seenFull.has(id)) replica.delete(id);
      return { cursor: page.nextCursor, pages };
    }
  }
  throw new Error('listChanges did not finish within 1000 pages');
}

let counter = 0;
function sampleEvent(title: string, dayOffset: number): CanonicalEventInput {
  counter += 1;
  const start = new Date(Date.UTC(2026, 10, 2 + dayOffset, 9 + (counter % 8), 0, 0));
  const end = new Date(start.getTime() + 45 * 60_000);
  const iso = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
  return {
    uid: `conformance-${process.pid}-${Date.now()}-${counter}@calhub.test`,
    start: { dateTime: iso(start), timeZone: 'UTC' },
    end: { dateTime: iso(end), timeZone: 'UTC' },
    title,
  };
}

const titleOf = (replica: Replica, id: string) => replica.get(id)?.events[0]?.title ?? null;

export function runConformanceSuite(name: string, makeHarness: MakeHarness): void {
  describe(`connector conformance: ${name}`, () => {
    let h: ConformanceHarness;
    const replica: Replica = new Map();
    let cursor: SyncCursor = '';
    const created: string[] = [];

    before(async () => {
      h = await makeHarness();
    });
    after(async () => {
      await h?.cleanup();
    });

    it('lists the test calendar', async () => {
      const cals = await h.connector.listCalendars(h.ctx);
      const mine = cals.find((c) => c.providerCalendarId === h.calendar.providerCalendarId);
      assert.ok(mine, `listCalendars did not include ${h.calendar.providerCalendarId}`);
      assert.equal(mine.supportsEvents, true);
    });

    it('an empty calendar lists nothing and still returns a cursor', async () => {
      const r = await drain(h.connector, h.ctx, h.calendar, null, replica);
      assert.equal(replica.size, 0);
      assert.ok(r.cursor.length > 0);
    });

    it('a full listing pages through more events than one page holds, each exactly once', async () => {
      const n = h.pageSize * 2 + 3;
      for (let i = 0; i < n; i++) created.push(await h.remote.createEvent(sampleEvent(`event ${i}`, i % 20)));
      const r = await drain(h.connector, h.ctx, h.calendar, null, replica);
      cursor = r.cursor;
      assert.ok(r.pages.length >= 2, `expected several pages, got ${r.pages.length}`);
      assert.ok(r.pages.every((p) => p.mode === 'full'));
      const upserts = r.pages.flatMap((p) => p.changes.filter((c) => c.kind === 'upsert').map((c) => c.remoteId));
      assert.equal(new Set(upserts).size, upserts.length, 'an object was listed twice in one full listing');
      assert.deepEqual([...replica.keys()].sort(), [...created].sort());
      for (const [, obj] of replica) for (const e of obj.events) parseEvent(e);
      if (h.remote.emitsEmptyPages) {
        assert.ok(r.pages.some((p) => p.changes.length === 0 && p.hasMore), 'expected an empty page with more to come');
      }
    });

    it('an incremental listing reports exactly what changed: create, update, delete', async () => {
      const added = await h.remote.createEvent(sampleEvent('added later', 3));
      const [changed, removed] = [created[0]!, created[1]!];
      const before = replica.get(changed)!.version;
      await h.remote.updateTitle(changed, 'renamed');
      await h.remote.deleteEvent(removed);
      const r = await drain(h.connector, h.ctx, h.calendar, cursor, replica);
      cursor = r.cursor;
      assert.ok(r.pages.every((p) => p.mode === 'incremental'));
      assert.equal(titleOf(replica, added), 'added later');
      assert.equal(titleOf(replica, changed), 'renamed');
      assert.notEqual(replica.get(changed)!.version, before, 'the version must change with the content');
      assert.equal(replica.has(removed), false, 'the deleted object is still there');
      created.splice(1, 1);
      created.push(added);
      assert.deepEqual([...replica.keys()].sort(), [...created].sort());
    });

    it('an incremental listing with nothing changed changes nothing', async () => {
      const snapshot = new Map([...replica].map(([k, v]) => [k, v.events.map(contentHash).join()]));
      const r = await drain(h.connector, h.ctx, h.calendar, cursor, replica);
      cursor = r.cursor;
      assert.deepEqual(new Map([...replica].map(([k, v]) => [k, v.events.map(contentHash).join()])), snapshot);
    });

    it('an invalidated cursor fails with SyncCursorInvalidError and a full listing recovers', async () => {
      await h.remote.invalidateCursors();
      await assert.rejects(drain(h.connector, h.ctx, h.calendar, cursor, new Map()), SyncCursorInvalidError);
      const fresh: Replica = new Map();
      const r = await drain(h.connector, h.ctx, h.calendar, null, fresh);
      cursor = r.cursor;
      assert.deepEqual([...fresh.keys()].sort(), [...created].sort());
    });

    it('writes honour preconditions: create, stale update, update, stale delete, delete', async () => {
      const input = parseEvent({ ...sampleEvent('written by calhub', 5), description: 'with a description' });
      const made = await h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [input] }, { ifNoneMatch: '*' });
      assert.ok(made.remoteId && made.version, 'a create returns the id and version');
      const got = await h.connector.getObject(h.ctx, h.calendar, made.remoteId);
      assert.equal(contentHash(got.events[0]!), contentHash(input), 'read back differs from what was written');
      const found = await h.connector.findObjectByUid(h.ctx, h.calendar, input.uid);
      assert.equal(found?.remoteId, made.remoteId);
      assert.equal(await h.connector.findObjectByUid(h.ctx, h.calendar, 'no-such-uid@calhub.test'), null);

      await h.remote.updateTitle(made.remoteId, 'changed elsewhere');
      const edited = { ...got.events[0]!, title: 'our edit' };
      await assert.rejects(
        h.connector.putObject(h.ctx, h.calendar, { remoteId: made.remoteId, events: [edited] }, { ifMatch: made.version! }),
        PreconditionFailedError,
      );
      const fresh = await h.connector.getObject(h.ctx, h.calendar, made.remoteId);
      const updated = await h.connector.putObject(
        h.ctx,
        h.calendar,
        { remoteId: made.remoteId, events: [{ ...fresh.events[0]!, title: 'our edit' }] },
        { ifMatch: fresh.version! },
      );
      assert.notEqual(updated.version, fresh.version);
      assert.equal((await h.connector.getObject(h.ctx, h.calendar, made.remoteId)).events[0]!.title, 'our edit');

      await assert.rejects(h.connector.deleteObject(h.ctx, h.calendar, made.remoteId, { ifMatch: fresh.version! }), PreconditionFailedError);
      await h.connector.deleteObject(h.ctx, h.calendar, made.remoteId, { ifMatch: updated.version! });
      await assert.rejects(h.connector.getObject(h.ctx, h.calendar, made.remoteId), RemoteNotFoundError);
    });

    it('a recurring series with an excluded date round-trips', async () => {
      const master = parseEvent({
        ...sampleEvent('weekly sync', 0),
        start: { dateTime: '2026-11-02T14:00:00Z', timeZone: 'Europe/Berlin' },
        end: { dateTime: '2026-11-02T14:30:00Z', timeZone: 'Europe/Berlin' },
        recurrence: { rrules: ['FREQ=WEEKLY;BYDAY=MO;COUNT=6'], exdates: [{ dateTime: '2026-11-16T14:00:00Z', timeZone: 'Europe/Berlin' }] },
      });
      const made = await h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [master] }, { ifNoneMatch: '*' });
      const got = await h.connector.getObject(h.ctx, h.calendar, made.remoteId);
      const m = got.events.find((e) => e.recurrence)!;
      assert.ok(m, 'the master came back without recurrence');
      assert.deepEqual(m.recurrence!.rrules.map((r) => r.toUpperCase()), ['FREQ=WEEKLY;BYDAY=MO;COUNT=6']);
      assert.equal(m.recurrence!.exdates.length, 1);
      assert.equal(contentHash(m), contentHash(master));
      await h.connector.deleteObject(h.ctx, h.calendar, made.remoteId, null);
    });

    it('maps provider failures to the error taxonomy', async (t) => {
      if (!h.remote.failNext) return t.skip('the counterpart cannot inject faults');
      await h.remote.failNext('rate-limited');
      await assert.rejects(h.connector.listCalendars(h.ctx), RateLimitedError);
      await h.remote.failNext('server-error');
      await assert.rejects(h.connector.listCalendars(h.ctx), TransientError);
      await h.remote.failNext('grant-revoked');
      await assert.rejects(h.connector.listCalendars(h.ctx), GrantRevokedError);
    });

    it('reading a missing object is RemoteNotFoundError', async () => {
      await assert.rejects(h.connector.getObject(h.ctx, h.calendar, created[0]! + '-missing'), RemoteNotFoundError);
    });
  });
}
