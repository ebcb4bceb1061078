/**
 * Busy blocks of Graph `oof` and `workingElsewhere` events, from the Graph emulator into a CalDAV
 * calendar on Radicale: written once as calhub's busy policy counts them, then left alone.
 * calhub counts workingElsewhere as time of its own kind that takes none by default (availability's
 * and ifFree's freeStatuses, docs/busy-policy.md), as Graph's free/busy has it apart from busy. The
 * CalDAV copy said TRANSP:OPAQUE, so every other CalDAV client and the server's own free-busy
 * read it as busy; it is TRANSPARENT now, X-MICROSOFT-CDO-BUSYSTATUS keeping its kind for calhub.
 * Out of office stays opaque (busy for everyone).
 *
 * Copies written OPAQUE before that converge: one the server holds OPAQUE reads back as the busy
 * block it is (ical/parse.ts) and the mirror writes it again; one an earlier calhub wrote and agreed
 * on (the hub read it as working elsewhere, so nothing saw a difference) is written again once by
 * migration 0058.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { davFetch } from '../support/caldav-harness.ts';
import { serverObjects } from '../support/dav-content.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { mixedProviders } from '../support/mixed-providers.ts';
import { openTestStore } from '../support/test-store.ts';

describe('busy blocks of Graph oof and workingElsewhere converge', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  const p = mixedProviders();

  it('Graph -> CalDAV and Graph -> Google: each copy written once, as the policy counts it, and not again', async () => {
    const env = await p.tenant();
    const { t, davCal, googleCal, graphCal, dav } = env;
    const at = (h: number) => ({ dateTime: `2026-12-15T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
    // Written at Graph by another client (the model's second connector): showAs oof, workingElsewhere, busy.
    for (const [title, availability, h] of [['Holiday', 'oof', 9], ['At the Berlin office', 'workingElsewhere', 12], ['Review', 'busy', 15]] as const) {
      await env.driver.put(2, null, [parseEvent({ uid: `${availability}@other`, title, availability, start: at(h), end: at(h + 1) })]);
    }
    assert.ok(await t.mirror.create(graphCal, davCal, { mode: 'busy-block' }));
    assert.ok(await t.mirror.create(graphCal, googleCal, { mode: 'busy-block' }));
    await settle(env.deps, env.tenantId, env.calendars);

    const davUrl = (await t.calendars.get(davCal))!.providerCalendarId;
    const objects = await serverObjects(dav, davUrl);
    assert.equal(objects.length, 3, 'three blocks on Radicale');
    const byStart = new Map(objects.map((o) => [o.lines.find((l) => l.startsWith('DTSTART'))!.slice(-7, -3), o.lines]));
    const transp = (hhmm: string) => byStart.get(hhmm)?.find((l) => l.startsWith('TRANSP:'));
    const cdo = (hhmm: string) => byStart.get(hhmm)?.find((l) => l.startsWith('X-MICROSOFT-CDO-BUSYSTATUS:'));
    assert.deepEqual([transp('0900'), cdo('0900')], ['TRANSP:OPAQUE', 'X-MICROSOFT-CDO-BUSYSTATUS:OOF'], 'out of office blocks time everywhere');
    assert.deepEqual([transp('1200'), cdo('1200')], ['TRANSP:TRANSPARENT', 'X-MICROSOFT-CDO-BUSYSTATUS:WORKINGELSEWHERE'], 'working elsewhere takes no time for other CalDAV clients, as for calhub by default');
    assert.equal(transp('1500'), 'TRANSP:OPAQUE');

    // calhub reads each copy back as the kind its source has: free/busy answers the same for both calendars.
    const kinds = async (cal: string) => (await t.events.list(cal)).map((e) => e.event.availability).sort();
    assert.deepEqual(await kinds(davCal), ['busy', 'oof', 'workingElsewhere']);
    assert.deepEqual(await kinds(davCal), await kinds(graphCal));

    const before = env.driver.writes();
    for (let i = 0; i < 3; i++) await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(env.driver.writes(), before, 'repeated runs wrote the copies again');
    assert.deepEqual((await serverObjects(dav, davUrl)).map((o) => o.raw), objects.map((o) => o.raw), 'the copies on Radicale are unchanged');
  });

  describe('old OPAQUE copies of working elsewhere converge', () => {
    let old: Store;
    before(async () => {
      old = await openTestStore();
      await old.migrate(); // 0058 is taken back below, once the state an earlier calhub left is made
    });
    after(() => old?.close());
    const at = (h: number) => ({ dateTime: `2026-12-16T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
    const transpOf = async (davUrl: string) => (await serverObjects(p.dav, davUrl)).map((o) => o.lines.find((l) => l.startsWith('TRANSP:'))).sort();
    /** The working-elsewhere copy as an earlier calhub wrote it: TRANSP:OPAQUE; answers its name and new etag. */
    const makeOpaque = async (davUrl: string): Promise<{ name: string; etag: string }> => {
      const copy = (await serverObjects(p.dav, davUrl)).find((o) => o.lines.includes('TRANSP:TRANSPARENT'));
      const url = new URL(copy!.href, davUrl).toString();
      await davFetch(p.dav, url, { method: 'PUT', body: copy!.raw.replace('TRANSP:TRANSPARENT', 'TRANSP:OPAQUE') });
      const etag = (await davFetch(p.dav, url, { method: 'GET' })).headers.get('etag');
      assert.ok(etag, 'the server names the version');
      return { name: copy!.href.split('/').pop()!, etag };
    };

    it('a copy the server holds OPAQUE is read as busy and written again TRANSPARENT by the next mirror pass', async () => {
      const env = await p.tenant();
      const { t, davCal, graphCal } = env;
      await env.driver.put(2, null, [parseEvent({ uid: 'elsewhere-a@other', title: 'Berlin office', availability: 'workingElsewhere', start: at(9), end: at(17) })]);
      assert.ok(await t.mirror.create(graphCal, davCal, { mode: 'busy-block' }));
      await settle(env.deps, env.tenantId, env.calendars);
      const davUrl = (await t.calendars.get(davCal))!.providerCalendarId;
      await makeOpaque(davUrl);
      await settle(env.deps, env.tenantId, env.calendars);
      assert.deepEqual(await transpOf(davUrl), ['TRANSP:TRANSPARENT']);
      assert.deepEqual((await t.events.list(davCal)).map((e) => e.event.availability), ['workingElsewhere']);
      const before = env.driver.writes();
      await settle(env.deps, env.tenantId, env.calendars);
      assert.equal(env.driver.writes(), before, 'written once');
    });

    it('a copy an earlier calhub wrote OPAQUE and agreed on is written again once after migration 0058', async () => {
      const env = await p.tenant(old);
      const { t, davCal, graphCal } = env;
      await env.driver.put(2, null, [parseEvent({ uid: 'elsewhere-b@other', title: 'Berlin office', availability: 'workingElsewhere', start: at(9), end: at(17) })]);
      await env.driver.put(2, null, [parseEvent({ uid: 'away@other', title: 'Holiday', availability: 'oof', start: at(18), end: at(19) })]);
      assert.ok(await t.mirror.create(graphCal, davCal, { mode: 'busy-block' }));
      await settle(env.deps, env.tenantId, env.calendars);
      const davUrl = (await t.calendars.get(davCal))!.providerCalendarId;
      // The state an earlier calhub left: its own OPAQUE write, agreed on in the ledger, read as working elsewhere.
      const { name, etag } = await makeOpaque(davUrl);
      assert.equal((await old.db.query(`UPDATE sync_ledger SET provider_version = $1 WHERE calendar_id = $2 AND remote_id LIKE '%/' || $3 RETURNING uid`, [etag, davCal, name])).length, 1);
      await settle(env.deps, env.tenantId, env.calendars);
      assert.deepEqual(await transpOf(davUrl), ['TRANSP:OPAQUE', 'TRANSP:OPAQUE'], 'nothing saw the difference');

      // Migrations after 0058 are in place (the code needs them); 0058 runs as on an upgrade.
      await old.db.query('DELETE FROM schema_migrations WHERE version = 58');
      assert.deepEqual(await old.migrate(), ['0058_caldav_working_elsewhere_copies.sql']);
      await settle(env.deps, env.tenantId, env.calendars);
      assert.deepEqual(await transpOf(davUrl), ['TRANSP:OPAQUE', 'TRANSP:TRANSPARENT'], 'the working-elsewhere copy is transparent, out of office stays opaque');
      assert.deepEqual((await t.events.list(davCal)).map((e) => e.event.availability).sort(), ['oof', 'workingElsewhere']);
      const before = env.driver.writes();
      await settle(env.deps, env.tenantId, env.calendars);
      assert.equal(env.driver.writes(), before, 'written once');
    });
  });
});
