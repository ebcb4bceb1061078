/**
 * createCalendar, renameCalendar and deleteCalendar against a connector's real counterpart: a
 * calendar made and renamed is listed under its new name; one made, filled and deleted is gone from
 * the listing and from reads, and deleting or renaming it again is RemoteNotFoundError; (where the
 * provider has one) the primary calendar is refused and stays, and may be renamed where it may.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import type { RemoteCalendarRef } from '../connector.ts';
import { RemoteNotFoundError, UnsupportedError } from '../errors.ts';
import type { ConformanceHarness, MakeHarness } from './harness.ts';

export interface LifecycleOptions {
  /** Google and Graph keep a primary/default calendar no one can delete; CalDAV has none. */
  primaryRefused: boolean;
  /** Google and Graph rename a primary/default calendar like any other (their update references do). */
  renamesPrimary?: boolean;
}

const isNotFound = (e: unknown) => e instanceof RemoteNotFoundError;

export function runCalendarLifecycleSuite(name: string, makeHarness: MakeHarness, opts: LifecycleOptions): void {
  describe(`calendar lifecycle: ${name}`, () => {
    let h: ConformanceHarness;
    before(async () => {
      h = await makeHarness();
    });
    after(async () => {
      await h?.cleanup();
    });

    // No zone asked: what each provider does with one is create-calendar.int.test.ts's (Graph refuses one not the mailbox's).
    it('a created calendar is renamed: the answer and the listing carry the new name, the other calendars keep theirs', async () => {
      const suffix = randomUUID().slice(0, 6);
      const made = await h.connector.createCalendar(h.ctx, { name: `calhub before ${suffix}`, timeZone: null });
      const ref: RemoteCalendarRef = { providerCalendarId: made.providerCalendarId, timeZone: made.timeZone ?? 'UTC' };
      const before = await h.connector.listCalendars(h.ctx);

      const renamed = await h.connector.renameCalendar(h.ctx, ref, `calhub after ${suffix}`);

      assert.equal(renamed.providerCalendarId, made.providerCalendarId);
      assert.equal(renamed.name, `calhub after ${suffix}`);
      const listed = await h.connector.listCalendars(h.ctx);
      assert.deepEqual(listed.find((c) => c.providerCalendarId === made.providerCalendarId), renamed, 'returned as listCalendars shows it');
      for (const other of before.filter((c) => c.providerCalendarId !== made.providerCalendarId)) {
        assert.equal(listed.find((c) => c.providerCalendarId === other.providerCalendarId)?.name, other.name);
      }
      await h.connector.deleteCalendar(h.ctx, ref);
      await assert.rejects(h.connector.renameCalendar(h.ctx, ref, `calhub gone ${suffix}`), isNotFound);
    });

    it('a created calendar with an event is deleted with it; a second delete is RemoteNotFoundError', async () => {
      const made = await h.connector.createCalendar(h.ctx, { name: `calhub delete ${randomUUID().slice(0, 6)}`, timeZone: null });
      const ref: RemoteCalendarRef = { providerCalendarId: made.providerCalendarId, timeZone: made.timeZone ?? 'UTC' };
      const event = parseEvent({
        uid: `lifecycle-${randomUUID()}@calhub.test`, title: 'goes with its calendar',
        start: { dateTime: '2026-11-03T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-03T10:00:00Z', timeZone: 'UTC' },
      });
      const stored = await h.connector.putObject(h.ctx, ref, { remoteId: null, events: [event] }, { ifNoneMatch: '*' });

      await h.connector.deleteCalendar(h.ctx, ref);

      const listed = await h.connector.listCalendars(h.ctx);
      assert.ok(!listed.some((c) => c.providerCalendarId === made.providerCalendarId), 'the deleted calendar is no longer listed');
      assert.ok(listed.some((c) => c.providerCalendarId === h.calendar.providerCalendarId), 'the other calendars stay');
      await assert.rejects(h.connector.getObject(h.ctx, ref, stored.remoteId), isNotFound);
      await assert.rejects(h.connector.listChanges(h.ctx, ref, null), isNotFound);
      await assert.rejects(h.connector.deleteCalendar(h.ctx, ref), isNotFound);
    });

    if (opts.renamesPrimary) {
      it('the primary calendar is renamed like any other, and back', async () => {
        const primary = (await h.connector.listCalendars(h.ctx)).find((c) => c.primary);
        assert.ok(primary, 'the provider marks a primary calendar');
        const ref = { providerCalendarId: primary.providerCalendarId, timeZone: primary.timeZone ?? 'UTC' };
        const renamed = await h.connector.renameCalendar(h.ctx, ref, `calhub primary ${randomUUID().slice(0, 6)}`);
        assert.ok(renamed.primary);
        assert.match(renamed.name, /^calhub primary /);
        assert.equal((await h.connector.renameCalendar(h.ctx, ref, primary.name)).name, primary.name);
      });
    }

    if (!opts.primaryRefused) return;
    it('the primary calendar is refused as primary-calendar and stays', async () => {
      const primary = (await h.connector.listCalendars(h.ctx)).find((c) => c.primary);
      assert.ok(primary, 'the provider marks a primary calendar');
      const ref = { providerCalendarId: primary.providerCalendarId, timeZone: primary.timeZone ?? 'UTC' };
      await assert.rejects(h.connector.deleteCalendar(h.ctx, ref), (e: unknown) => e instanceof UnsupportedError && e.reason === 'primary-calendar');
      assert.ok((await h.connector.listCalendars(h.ctx)).some((c) => c.providerCalendarId === primary.providerCalendarId));
    });
  });
}
