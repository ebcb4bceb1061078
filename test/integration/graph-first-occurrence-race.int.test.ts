/**
 * The hub's first write of one occurrence of a Graph series (the PATCH that makes it an exception)
 * carried no If-Match: a change made in Outlook to that occurrence between the hub's read of it
 * (`/instances`) and its write was overwritten. Now it is written on the etag the occurrence was
 * found with; the 412 names the occurrence, so the push reads it and merges. Against the Graph
 * emulator, with the change made by another client just before the hub's write reaches Graph.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../../connectors/index.ts';
import { createMicrosoftConnector } from '../../connectors/microsoft/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { settle, type EngineDeps } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { openTestStore } from '../support/test-store.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('Graph: the first write of an occurrence is conditional', () => {
  let graph: MicrosoftEmulator;
  let store: Store;
  before(async () => {
    graph = await startMicrosoftEmulator();
    store = await openTestStore();
    await store.migrate();
  });
  after(async () => {
    await store.close();
    await graph.close();
  });

  it('a title changed in Outlook while the hub writes a new place for the occurrence: both kept, none overwritten', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const user = graph.control.createUser({ email: `race-${tag}@contoso.test`, timeZone: 'UTC' });
    const { accessToken } = graph.control.issueToken({ userId: user.id });
    const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    const at = (day: string, h = 9) => ({ dateTime: `2026-06-${day}T${String(h).padStart(2, '0')}:00:00.0000000`, timeZone: 'UTC' });
    const made = graph.control.createEvent({
      userId: user.id,
      event: { subject: 'Weekly', start: at('01'), end: at('01', 10), recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-06-01', numberOfOccurrences: 4 } } },
    });

    // Another client retitles the occurrence of the 8th right before the hub's write of it lands.
    let race: ((id: string) => void) | null = null;
    const racing: typeof fetch = async (input, init) => {
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      const url = new URL(input instanceof Request ? input.url : String(input));
      const id = decodeURIComponent(url.pathname.split('/').pop() ?? '');
      if (race && (method === 'PATCH' || method === 'DELETE') && url.pathname.includes('/events/') && id !== made.id && id !== made.immutableId) {
        race(id);
        race = null;
      }
      return fetch(input, init);
    };
    const connector = createMicrosoftConnector({ baseUrl: graph.url, fetch: racing });
    const { tenant } = await store.tenants.create(`graph-race-${tag}`);
    const t = store.tenant(tenant.id);
    const account = await t.accounts.upsert({ provider: 'microsoft', externalId: user.email });
    const [calRow] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: user.calendarId, name: 'Calendar', timeZone: 'UTC', color: null, readOnly: false }]);
    const cal = calRow!.id;
    const deps: EngineDeps = { store, log: createLogger({ level: 'silent' }), connect: async () => ({ connector, ctx }), guard: { maxDeleteShare: 1, minObjects: 1_000_000 } };
    await settle(deps, tenant.id, [cal]);
    const master = (await t.events.list(cal)).find((e) => e.event.recurrence);
    assert.ok(master, 'the series is read');

    const { app, call } = await apiOver<{ id: string }>({ store, tenantId: tenant.id, deps }, deps.connect);
    let raced: string | null = null;
    try {
      const path = `/v1/events/${master.id}/occurrences/${encodeURIComponent('2026-06-08T09:00:00Z')}`;
      const r = await call('PATCH', path, { location: 'Room 9' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      race = (id) => {
        raced = id;
        graph.control.updateEvent({ userId: user.id, id, patch: { subject: 'Weekly (moved room)' } });
      };
      await settle(deps, tenant.id, [cal]);
      assert.equal(race, null, 'the change in Outlook came before the write');
    } finally {
      await app.close();
    }
    const there = graph.control.getEvent({ userId: user.id, id: raced!, immutableIds: true }) as { subject: string; location: { displayName: string }; type: string };
    const stored = (await t.events.list(cal)).find((e) => e.event.originalStart && 'dateTime' in e.event.originalStart && e.event.originalStart.dateTime === '2026-06-08T09:00:00Z');
    assert.deepEqual([there.type, there.subject, there.location.displayName], ['exception', 'Weekly (moved room)', 'Room 9'], "Outlook's title and the hub's place");
    assert.deepEqual([stored?.event.title, stored?.event.location], ['Weekly (moved room)', 'Room 9'], 'the hub holds what Graph holds');
  });
});
