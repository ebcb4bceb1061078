/**
 * Every iCalendar fixture, parsed and stored, produces exactly the independently computed busy
 * instances — read back from the busy index (recurrence expanded at write time), not recomputed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseCalendarObject } from '../../connectors/caldav/index.ts';
import { Store } from '../../shared/store/index.ts';

const dir = new URL('../fixtures/ics/', import.meta.url);
type Expected = { window: { start: string; end: string }; busy: Array<{ start: string; end: string; uid: string; status: string }> };

describe('iCalendar fixtures through the busy index', () => {
  let store: Store;
  let tenantId: string;
  let calendarId: string;
  before(async () => {
    store = await Store.open({ dataDir: null, horizon: { pastDays: 3650, futureDays: 3650 } });
    await store.migrate();
    tenantId = (await store.tenants.create('fixtures')).tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'caldav', externalId: 'fixtures' });
    calendarId = (await store.tenant(tenantId).calendars.upsertMany(acc.id, [{ providerCalendarId: 'c', name: 'c', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
  });
  after(async () => store?.close());

  const files = readdirSync(dir).filter((f) => f.endsWith('.ics'));
  it('has fixtures to check', () => assert.ok(files.length >= 8));

  // The handbook's fixtures live beside the checkout (../shared) on our machines, not in a clone,
  // so the repository carries a copy; where the handbook is present the copy must match it.
  const handbook = new URL('../../../shared/fixtures/ics/', import.meta.url);
  it('the copy in test/fixtures/ics equals the handbook fixtures', { skip: !existsSync(handbook) && 'the handbook is not beside this checkout' }, () => {
    const list = (d: URL) => readdirSync(d, { recursive: true }).map(String).filter((f) => /\.(ics|json)$/.test(f)).sort();
    assert.deepEqual(list(dir), list(handbook));
    for (const f of list(handbook)) assert.equal(readFileSync(new URL(f, dir), 'utf8'), readFileSync(new URL(f, handbook), 'utf8'), `${f} differs from the handbook`);
  });

  for (const file of files) {
    const name = file.replace(/\.ics$/, '');
    it(name, async () => {
      const raw = readFileSync(new URL(file, dir), 'utf8');
      const t = store.tenant(tenantId);
      let parsed: ReturnType<typeof parseCalendarObject> | null = null;
      try {
        parsed = parseCalendarObject(raw, { remoteId: file });
      } catch (e) {
        // The malformed fixture: quarantined with its error, the rest of the calendar unaffected.
        assert.equal(name, 'malformed-line', `${file} failed to parse: ${(e as Error).message}`);
        await t.events.applyRemoteChanges(calendarId, [{ kind: 'invalid', remoteId: file, version: null, error: (e as Error).message, raw }]);
        const q = await t.events.quarantined(calendarId);
        assert.ok(q.some((x) => x.remoteId === file && x.error.length > 0));
        return;
      }
      const uids = new Set(parsed.events.map((e) => e.uid));
      await t.events.applyRemoteChanges(calendarId, [{ kind: 'upsert', remoteId: file, version: '"1"', events: parsed.events }]);
      const expected = JSON.parse(readFileSync(new URL(`expected/${name}.json`, dir), 'utf8')) as Expected;
      const busy = (await t.busy([calendarId], new Date(expected.window.start), new Date(expected.window.end))).filter((b) => uids.has(b.uid));
      const got = busy.map((b) => ({ start: b.start.toISOString().replace('.000Z', 'Z'), end: b.end.toISOString().replace('.000Z', 'Z'), uid: b.uid, status: b.status }));
      const want = expected.busy.map((b) => ({ start: b.start, end: b.end, uid: b.uid, status: b.status }));
      const key = (x: { start: string; uid: string }) => `${x.start}|${x.uid}`;
      assert.deepEqual(got.sort((a, b) => key(a).localeCompare(key(b))), want.sort((a, b) => key(a).localeCompare(key(b))));
    });
  }
});
