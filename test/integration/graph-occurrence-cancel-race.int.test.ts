/**
 * Cancelling one occurrence of a Graph series (an EXDATE on the master: the connector deletes the
 * occurrence) carried no If-Match, so a change made in Outlook to that occurrence was deleted
 * with it, unseen. The delete is now conditional: on the etag the occurrence was found with when
 * it is a plain occurrence of the series the hub just wrote, on the version the hub last agreed on
 * when it is an exception the hub knows, and an exception the hub has never seen is not deleted.
 * The 412 sends the push to read again; the pull brings the change in and the delete policy
 * (modify-wins here) settles it. Against the Graph emulator, which checks If-Match on occurrence
 * and exception deletes (graph-events.ts checkIfMatch).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../../connectors/index.ts';
import { createMicrosoftConnector } from '../../connectors/microsoft/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { pushCalendar, settle, type EngineDeps } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { openTestStore } from '../support/test-store.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('Graph: cancelling an occurrence is conditional', () => {
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

  /** A weekly series of four at Graph, read by the hub; `race` runs once before a matching request. */
  async function setUp(tag: string) {
    const user = graph.control.createUser({ email: `cancel-${tag}@contoso.test`, timeZone: 'UTC' });
    const { accessToken } = graph.control.issueToken({ userId: user.id });
    const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    const at = (day: string, h = 9) => ({ dateTime: `2026-06-${day}T${String(h).padStart(2, '0')}:00:00.0000000`, timeZone: 'UTC' });
    const made = graph.control.createEvent({
      userId: user.id,
      event: { subject: 'Weekly', start: at('01'), end: at('01', 10), recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-06-01', numberOfOccurrences: 4 } } },
    });
    const hook: { race: ((id: string) => void) | null; deletes: Array<{ id: string; ifMatch: string | null }> } = { race: null, deletes: [] };
    const racing: typeof fetch = async (input, init) => {
      const method = init?.method ?? 'GET';
      const url = new URL(input instanceof Request ? input.url : String(input));
      const id = decodeURIComponent(url.pathname.split('/').pop() ?? '');
      if (method === 'DELETE' && url.pathname.includes('/events/')) {
        const h = new Headers(init?.headers);
        hook.deletes.push({ id, ifMatch: h.get('if-match') });
        if (hook.race) {
          hook.race(id);
          hook.race = null;
        }
      }
      return fetch(input, init);
    };
    const connector = createMicrosoftConnector({ baseUrl: graph.url, fetch: racing });
    const { tenant } = await store.tenants.create(`graph-cancel-${tag}`);
    const t = store.tenant(tenant.id);
    const account = await t.accounts.upsert({ provider: 'microsoft', externalId: user.email });
    const [calRow] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: user.calendarId, name: 'Calendar', timeZone: 'UTC', color: null, readOnly: false }]);
    const cal = calRow!.id;
    const deps: EngineDeps = { store, log: createLogger({ level: 'silent' }), connect: async () => ({ connector, ctx }), guard: { maxDeleteShare: 1, minObjects: 1_000_000 } };
    await settle(deps, tenant.id, [cal]);
    const master = (await t.events.list(cal)).find((e) => e.event.recurrence);
    assert.ok(master, 'the series is read');
    const instance = () => {
      const view = graph.control.calendarView({ userId: user.id, calendarId: user.calendarId, start: '2026-06-08T00:00:00Z', end: '2026-06-09T00:00:00Z' });
      return view.map((e) => [e.type, e.subject]);
    };
    return { user, t, cal, deps, tenant, master, hook, instance, made };
  }

  it('an occurrence retitled in Outlook while the hub cancels it: the delete fails, the pull brings the change, modify-wins keeps it', async () => {
    const s = await setUp(Math.random().toString(36).slice(2, 8));
    const { app, call } = await apiOver<{ id: string }>({ store, tenantId: s.tenant.id, deps: s.deps }, s.deps.connect);
    try {
      const r = await call('DELETE', `/v1/events/${s.master.id}/occurrences/${encodeURIComponent('2026-06-08T09:00:00Z')}`);
      assert.ok(r.status < 300, JSON.stringify(r.json));
      s.hook.race = (id) => graph.control.updateEvent({ userId: s.user.id, id, patch: { subject: 'Weekly (agenda changed)' } });
      await settle(s.deps, s.tenant.id, [s.cal]);
      assert.equal(s.hook.race, null, 'the change in Outlook came before the delete');
      await settle(s.deps, s.tenant.id, [s.cal]);
    } finally {
      await app.close();
    }
    assert.ok(s.hook.deletes.every((d) => d.ifMatch), `every occurrence delete is conditional: ${JSON.stringify(s.hook.deletes)}`);
    assert.deepEqual(s.instance(), [['exception', 'Weekly (agenda changed)']], "Outlook's change stands");
    const stored = (await s.t.events.list(s.cal)).find((e) => e.event.originalStart && 'dateTime' in e.event.originalStart && e.event.originalStart.dateTime === '2026-06-08T09:00:00Z');
    assert.equal(stored?.event.title, 'Weekly (agenda changed)', 'the hub holds what Graph holds');
  });

  it('an occurrence the hub knows as an exception, changed again in Outlook before the hub cancels it: not deleted unseen', async () => {
    const s = await setUp(Math.random().toString(36).slice(2, 8));
    // Changed in Outlook once and read by the hub: the hub knows the exception at that version.
    const occId = graph.control.calendarView({ userId: s.user.id, calendarId: s.user.calendarId, start: '2026-06-08T00:00:00Z', end: '2026-06-09T00:00:00Z' })[0]!.id as string;
    graph.control.updateEvent({ userId: s.user.id, id: occId, patch: { subject: 'Weekly (first change)' } });
    await settle(s.deps, s.tenant.id, [s.cal]);
    const known = (await s.t.events.list(s.cal)).find((e) => e.event.originalStart && e.event.title === 'Weekly (first change)');
    assert.ok(known, 'the exception is read');
    const { app, call } = await apiOver<{ id: string }>({ store, tenantId: s.tenant.id, deps: s.deps }, s.deps.connect);
    try {
      const r = await call('DELETE', `/v1/events/${s.master.id}/occurrences/${encodeURIComponent('2026-06-08T09:00:00Z')}`);
      assert.ok(r.status < 300, JSON.stringify(r.json));
      // Changed again in Outlook before the hub's cancellation is pushed, with no pull in between:
      // the delete goes out on the version the hub knows and is refused.
      graph.control.updateEvent({ userId: s.user.id, id: occId, patch: { subject: 'Weekly (second change)' } });
      const pushed = await pushCalendar(s.deps, s.tenant.id, s.cal, 'push-only');
      assert.equal(pushed.failed, 1, 'the cancellation is refused and stays in the outbox');
      assert.deepEqual(s.instance(), [['exception', 'Weekly (second change)']], 'not deleted unseen');
      assert.ok(s.hook.deletes.length > 0 && s.hook.deletes.every((d) => d.ifMatch), `every occurrence delete is conditional: ${JSON.stringify(s.hook.deletes)}`);
      // The pull brings the change in; modify-wins keeps it.
      await settle(s.deps, s.tenant.id, [s.cal]);
    } finally {
      await app.close();
    }
    assert.deepEqual(s.instance(), [['exception', 'Weekly (second change)']], "Outlook's second change stands");
    const stored = (await s.t.events.list(s.cal)).find((e) => e.event.originalStart && 'dateTime' in e.event.originalStart && e.event.originalStart.dateTime === '2026-06-08T09:00:00Z');
    assert.equal(stored?.event.title, 'Weekly (second change)', 'the hub holds what Graph holds');
  });
});
