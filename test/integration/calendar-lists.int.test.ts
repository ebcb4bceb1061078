/**
 * An account's calendar list, read again after connect (hub/accounts/refresh-calendars.ts): a
 * calendar added at the provider starts syncing, a renamed one takes its new name, and one the
 * provider no longer lists is marked missing, then removed with its events by a later listing —
 * through `POST /v1/accounts/:id/resync` and through the maintenance step, on the Google and Graph
 * emulators and on Radicale. One listing alone never removes a calendar.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { refreshCalendarList, refreshDueCalendarLists, type Hub } from '../../hub/index.ts';
import type { CalendarConnector } from '../../connectors/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { settle, type EngineDeps } from '../../sync-engine/index.ts';
import { authHeader, makeCalendar } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { apiOver } from '../support/api-over.ts';
import { startProviders, type Providers } from '../support/providers.ts';

type Named = { id: string; name: string };
type ListReport = { added: Named[]; updated: Named[]; missing: Array<Named & { since: string }>; removed: Named[]; guarded: string | null; error: string | null };
type Reply = { id: string; providerCalendarId: string; calendarList: ListReport; calendars: Array<{ id: string; outcome: string }>; name: string; timeZone: string; missingSince: string | null; error: { code: string } };

async function hubOver(p: Providers, env: { tenantId: string; deps: Pick<EngineDeps, 'connect'> }, goneAfterMs: number) {
  const config = { ...loadConfig({}), calendarGoneAfterMs: goneAfterMs };
  const { hub, app, call } = await apiOver<Reply>({ store: p.store, ...env }, env.deps.connect, { config, webhooks: { allowPrivateNetworks: true } });
  const account = (await p.store.tenant(env.tenantId).accounts.list())[0]!;
  const resync = async () => {
    const r = await call('POST', `/v1/accounts/${account.id}/resync`, {});
    assert.equal(r.status, 202, JSON.stringify(r.json));
    return r.json.calendarList;
  };
  return { hub, app, call, account, resync };
}

const ids = (xs: Named[]) => xs.map((x) => x.id);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('calendar lists read again after connect', () => {
  let p: Providers;
  before(async () => (p = await startProviders()));
  after(() => p.stop());

  it('Google: a new calendar syncs, a deleted one is missing, then removed with its events by the next listing', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { app, call, account, resync } = await hubOver(p, env, 0);
    const t = p.store.tenant(env.tenantId);
    const [a, b] = await Promise.all(env.calendars.slice(0, 2).map(async (id) => (await t.calendars.get(id))!));
    const hook = await call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/calhub', events: ['calendar.created', 'calendar.deleted'] });
    assert.equal(hook.status, 201, JSON.stringify(hook.json));
    await env.writer.create(env.tenantId, b!.id, { uid: 'in-b', title: 'In b', start: { dateTime: '2026-12-14T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-14T11:00:00Z', timeZone: 'UTC' } });
    await settle(env.deps, env.tenantId, [b!.id]);

    const fresh = p.google.control.createCalendar({ ownerEmail: account.externalId, summary: 'Added later', timeZone: 'Europe/Berlin' });
    p.google.control.renameCalendar(a!.providerCalendarId, 'Renamed at Google');
    p.google.control.deleteCalendar(b!.providerCalendarId);
    const { accessToken } = p.google.control.issueGrant({ email: account.externalId });
    const put = await fetch(`${p.google.url}/calendar/v3/calendars/${encodeURIComponent(fresh.id)}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ summary: 'Already there', start: { dateTime: '2026-12-15T09:00:00Z' }, end: { dateTime: '2026-12-15T10:00:00Z' } }),
    });
    assert.equal(put.status, 200);

    const first = await resync();
    const added = first.added.find((c) => c.name === 'Added later');
    assert.ok(added, JSON.stringify(first));
    // The model env recorded its calendars under their ids as names: every listed one is updated, a with its new name.
    assert.equal(first.updated.find((c) => c.id === a!.id)?.name, 'Renamed at Google');
    assert.deepEqual(ids(first.missing), [b!.id]);
    assert.deepEqual(first.removed, [], 'one listing alone removes nothing');
    const shown = await call('GET', `/v1/calendars/${b!.id}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.json.missingSince, first.missing[0]!.since);
    assert.equal((await call('GET', `/v1/calendars/${added.id}`)).json.name, 'Added later');
    await settle(env.deps, env.tenantId, [added.id]);
    assert.deepEqual((await t.events.list(added.id)).map((e) => e.event.title), ['Already there'], 'the new calendar syncs');

    const second = await resync();
    assert.deepEqual(second.removed, [{ id: b!.id, name: b!.name }]);
    assert.deepEqual([second.added, second.updated, second.missing], [[], [], []], 'nothing else changed');
    assert.equal((await call('GET', `/v1/calendars/${b!.id}`)).status, 404);
    assert.equal((await p.store.db.query('SELECT 1 FROM events WHERE calendar_id = $1', [b!.id])).length, 0, 'its events went with it');
    const outbox = await p.store.db.query<{ op: string; subject_id: string }>(`SELECT op, subject_id FROM webhook_outbox WHERE kind = 'calendar' AND tenant_id = $1 ORDER BY seq`, [env.tenantId]);
    const owed = [...first.updated.map((c) => ['updated', c.id]), ...first.added.map((c) => ['created', c.id]), ['updated', b!.id], ['deleted', b!.id]];
    assert.deepEqual(outbox.map((r) => [r.op, r.subject_id]).sort(), owed.sort(), 'calendar.updated (renamed, then b missing), calendar.created and calendar.deleted are owed to the tenant');
    assert.deepEqual(outbox.at(-1), { op: 'deleted', subject_id: b!.id });
    await app.close();
  });

  it("Google: a calendar shared to write is a writer's, not an owner's; a role changed at Google is an update", async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { app, account, resync } = await hubOver(p, env, 0);
    const t = p.store.tenant(env.tenantId);
    const bob = `bob-${Math.random().toString(36).slice(2, 8)}@example.com`;
    p.google.control.createUser({ email: bob });
    const plans = p.google.control.createCalendar({ ownerEmail: bob, summary: "Bob's plans" }).id;
    const holidays = p.google.control.createCalendar({ ownerEmail: bob, summary: "Bob's holidays" }).id;
    p.google.control.shareCalendar(plans, account.externalId, 'writer');
    p.google.control.shareCalendar(holidays, account.externalId, 'reader');
    await resync();
    const role = async (providerCalendarId: string) => (await t.calendars.list({ accountId: account.id })).find((c) => c.providerCalendarId === providerCalendarId)?.accessRole;
    const own = (await t.calendars.get(env.calendars[0]!))!.providerCalendarId;
    assert.deepEqual([await role(plans), await role(holidays), await role(own)], ['writer', 'reader', 'owner']);
    p.google.control.shareCalendar(holidays, account.externalId, 'writer');
    const r = await resync();
    assert.ok(r.updated.some((c) => c.name === "Bob's holidays"), JSON.stringify(r));
    assert.equal(await role(holidays), 'writer');
    await app.close();
  });

  it('Google: a zone changed at Google moves the busy time of an all-day event to the new midnights', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { app, call, account, resync } = await hubOver(p, env, 0);
    const cal = (await p.store.tenant(env.tenantId).calendars.get(env.calendars[0]!))!;
    const { accessToken } = p.google.control.issueGrant({ email: account.externalId });
    const zone = async (timeZone: string) => {
      const r = await fetch(`${p.google.url}/calendar/v3/calendars/${encodeURIComponent(cal.providerCalendarId)}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ timeZone }),
      });
      assert.equal(r.status, 200);
      return resync();
    };
    const busy = async () => {
      const r = await call('POST', '/v1/freebusy', { calendarIds: [cal.id], timeMin: '2026-12-17T00:00:00Z', timeMax: '2026-12-20T00:00:00Z' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return (r.json as unknown as { merged: Array<{ start: string; end: string }> }).merged;
    };
    await zone('Europe/Berlin');
    p.google.control.insertEvent(cal.providerCalendarId, { summary: 'Day off', start: { date: '2026-12-18' }, end: { date: '2026-12-19' } });
    await settle(env.deps, env.tenantId, [cal.id]);
    assert.deepEqual(await busy(), [{ start: '2026-12-17T23:00:00.000Z', end: '2026-12-18T23:00:00.000Z' }]);

    const moved = await zone('America/Los_Angeles');
    assert.ok(moved.updated.some((c) => c.id === cal.id), JSON.stringify(moved));
    assert.equal((await call('GET', `/v1/calendars/${cal.id}`)).json.timeZone, 'America/Los_Angeles');
    assert.deepEqual(await busy(), [{ start: '2026-12-18T08:00:00.000Z', end: '2026-12-19T08:00:00.000Z' }]);
    await app.close();
  });

  it('Google: a calendar the user hid is still listed; a listing of another mailbox (none of the known calendars) removes nothing', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { app, account, resync } = await hubOver(p, env, 0);
    const t = p.store.tenant(env.tenantId);
    const hidden = (await t.calendars.get(env.calendars[2]!))!;
    p.google.control.hideCalendar(hidden.providerCalendarId, account.externalId);
    await resync();
    const again = await resync();
    assert.deepEqual([again.missing, again.removed], [[], []], 'hiding is a display choice, not a deletion');
    await app.close();

    // The grant answers for another user: nothing known is listed, so nothing is marked missing.
    const stranger = `stranger-${Math.random().toString(36).slice(2, 8)}@example.com`;
    p.google.control.createUser({ email: stranger });
    const { accessToken } = p.google.control.issueGrant({ email: stranger });
    const connector = (await env.deps.connect(account)).connector;
    const wrong: EngineDeps['connect'] = async () => ({ connector, ctx: { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() } });
    const other = await hubOver(p, { tenantId: env.tenantId, deps: { connect: wrong } }, 0);
    for (let i = 0; i < 2; i++) {
      const r = await other.resync();
      assert.match(r.guarded ?? JSON.stringify(r), /none of the \d+ known calendars/);
      assert.deepEqual([r.missing, r.removed], [[], []]);
    }
    assert.equal((await t.calendars.list({ accountId: account.id })).filter((c) => c.missingSince).length, 0);
    await other.app.close();
  });

  it('CalDAV (Radicale): a collection made, renamed and deleted; within CALENDAR_GONE_AFTER_MS a missing calendar stays', async () => {
    const env = await davModelEnv(p.radicale, p.store);
    const t = p.store.tenant(env.tenantId);
    const slow = await hubOver(p, env, 60_000);
    await slow.resync(); // the other collections of the shared home are recorded first
    const made = await makeCalendar(p.radicale, `later-${Math.random().toString(36).slice(2, 8)}`);
    const [a, b] = await Promise.all(env.calendars.slice(0, 2).map(async (id) => (await t.calendars.get(id))!));
    const rename = await fetch(a!.providerCalendarId, {
      method: 'PROPPATCH',
      headers: { ...authHeader(p.radicale), 'content-type': 'application/xml' },
      body: '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Renamed in DAV</D:displayname></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(rename.status, 207);
    assert.equal((await fetch(b!.providerCalendarId, { method: 'DELETE', headers: authHeader(p.radicale) })).status, 200);

    const first = await slow.resync();
    assert.equal(first.added.length, 1, JSON.stringify(first.added));
    assert.equal(new URL((await t.calendars.get(first.added[0]!.id))!.providerCalendarId, made).pathname, new URL(made).pathname);
    assert.deepEqual(first.updated, [{ id: a!.id, name: 'Renamed in DAV' }]);
    assert.deepEqual(ids(first.missing), [b!.id]);
    const soon = await slow.resync();
    assert.deepEqual([ids(soon.missing), soon.removed], [[b!.id], []], 'not removed before CALENDAR_GONE_AFTER_MS has passed');
    await slow.app.close();

    const quick = await hubOver(p, env, 0);
    const later = await quick.resync();
    assert.deepEqual(later.removed, [{ id: b!.id, name: b!.name }]);
    assert.equal(await t.calendars.get(b!.id), null);
    await quick.app.close();
  });

  it('CalDAV (Radicale): a calendar-timezone removed at the server is read as UTC, as a fresh connection reads it', async () => {
    const env = await davModelEnv(p.radicale, p.store);
    const t = p.store.tenant(env.tenantId);
    const { app, call, account, resync } = await hubOver(p, env, 60_000);
    const made = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Zoned', timeZone: 'Asia/Kolkata' });
    assert.equal(made.json.timeZone, 'Asia/Kolkata');
    const patch = (op: string) => fetch(made.json.providerCalendarId, {
      method: 'PROPPATCH',
      headers: { ...authHeader(p.radicale), 'content-type': 'application/xml' },
      body: `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:${op}><D:prop><C:calendar-timezone/></D:prop></D:${op}></D:propertyupdate>`,
    });
    assert.equal((await patch('remove')).status, 207);
    const listed = await resync();
    assert.deepEqual(listed.updated.map((c) => c.id), [made.json.id]);
    assert.equal((await t.calendars.get(made.json.id))!.timeZone, 'UTC');
    await app.close();
  });

  it('the maintenance step lists accounts when due, and one whose calendar sync found the calendar gone soon after', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { hub, app, account } = await hubOver(p, env, 0);
    const t = p.store.tenant(env.tenantId);
    const listedAt = async () => (await p.store.db.query<{ at: Date }>('SELECT calendars_listed_at AS at FROM accounts WHERE id = $1', [account.id]))[0]!.at.getTime();
    const mine = async (h: Hub) => {
      const before = await listedAt();
      await refreshDueCalendarLists(h);
      return (await listedAt()) > before;
    };
    assert.equal(await mine(hub), false, 'listed at connect: not due');
    await p.store.db.query(`UPDATE accounts SET calendars_listed_at = now() - interval '2 hours' WHERE id = $1`, [account.id]);
    assert.equal(await mine(hub), true, 'due after one and a half intervals at most');

    const gone = (await t.calendars.get(env.calendars[1]!))!;
    p.google.control.deleteCalendar(gone.providerCalendarId);
    await settle(env.deps, env.tenantId, [gone.id]).catch(() => undefined);
    assert.match((await t.calendars.get(gone.id))!.lastError ?? '', /^CONNECTOR_NOT_FOUND/);
    // CALENDAR_GONE_AFTER_MS is 0 here: the recheck is due at once, twice (missing, then removed).
    assert.equal(await mine(hub), true);
    assert.ok((await t.calendars.get(gone.id))!.missingSince);
    assert.equal(await mine(hub), true);
    assert.equal(await t.calendars.get(gone.id), null);
    assert.equal(await mine(hub), false, 'nothing left to recheck');
    await app.close();
  });

  it('Microsoft 365: every page of a long calendar list is read (none of 105 taken for deleted); a deleted calendar goes', async () => {
    const env = await microsoftModelEnv(p.ms, p.store);
    const { app, account, resync } = await hubOver(p, env, 0);
    const t = p.store.tenant(env.tenantId);
    const owner = account.externalId; // the emulator finds a mailbox by its address too
    for (let i = 0; i < 102; i++) p.ms.control.createCalendar({ userId: owner, name: `many ${i}` });
    const first = await resync();
    assert.equal(first.added.length, 102, 'beyond the first page of 100 too');
    const gone = (await t.calendars.get(env.calendars[1]!))!;
    p.ms.control.deleteCalendar({ userId: owner, calendarId: gone.providerCalendarId });
    const second = await resync();
    assert.deepEqual([ids(second.missing), second.added, second.removed], [[gone.id], [], []]);
    const third = await resync();
    assert.deepEqual([third.removed, third.missing], [[{ id: gone.id, name: gone.name }], []]);
    assert.equal((await t.calendars.list({ accountId: account.id })).length, 104);
    await app.close();
  });

  it("a listing naming none of the known calendars: on CalDAV (a user who replaced their only calendar) it counts, on Google it is guarded", async () => {
    // A connector that lists what the test says: the rule depends on the account's provider alone.
    let listed: string[] = [];
    const connector = {
      provider: 'caldav',
      listCalendars: async () => listed.map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false, supportsEvents: true, primary: false })),
    } as unknown as CalendarConnector;
    const ctx = { credentials: { kind: 'none' as const }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    for (const provider of ['caldav', 'google'] as const) {
      const { tenant } = await p.store.tenants.create(`no-overlap-${provider}`);
      const t = p.store.tenant(tenant.id);
      const account = await t.accounts.upsert({ provider, externalId: `${provider}-no-overlap@example.com` });
      const [old] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: 'https://dav.example/home/old/', name: 'Old', timeZone: 'UTC', color: null, readOnly: false }]);
      const { hub, app } = await apiOver({ store: p.store, tenantId: tenant.id, deps: { connect: async () => ({ connector, ctx }) } });
      listed = ['https://dav.example/home/new/'];
      const first = await refreshCalendarList(hub, tenant.id, account.id, { goneAfterMs: 0, pull: false });
      const second = await refreshCalendarList(hub, tenant.id, account.id, { goneAfterMs: 0, pull: false });
      if (provider === 'caldav') {
        assert.deepEqual([first.guarded, ids(first.missing), first.added.map((c) => c.name)], [null, [old!.id], ['https://dav.example/home/new/']]);
        assert.deepEqual(ids(second.removed), [old!.id], 'the second listing removes it');
      } else {
        assert.match(first.guarded ?? '', /none of the 1 known calendars/);
        assert.deepEqual([first.added, first.missing, second.removed], [[], [], []], 'nothing changes on an untrusted listing');
        assert.ok(await t.calendars.get(old!.id));
      }
      await app.close();
    }
  });
});
