/**
 * POST /v1/accounts/:id/calendars makes a calendar at the account's provider — Google
 * calendars.insert, Graph POST /me/calendars, CalDAV MKCALENDAR on Radicale and Xandikos — records
 * it as discovery would, and syncs it: an event written into it reaches the provider. Refusals are
 * answered at once with codes of their own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGoogleConnector } from '../../connectors/google/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { settle, type EngineDeps } from '../../sync-engine/index.ts';
import { authHeader } from '../support/dav-servers.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { startProviders, type Providers } from '../support/providers.ts';
import { apiOver } from '../support/api-over.ts';
import { davModelEnv } from '../support/dav-model-env.ts';

// The answers' shapes are the API's; these tests read a few fields of them.
type Reply = { id: string; name: string; timeZone: string; providerCalendarId: string; accountId: string; error: { code: string; message: string } };

const apiFor = (store: Store, tenantId: string, connect: EngineDeps['connect']) => apiOver<Reply>({ store, tenantId, deps: { connect } });

const slot = (title: string) => ({ title, start: { dateTime: '2026-12-14T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-14T11:00:00Z', timeZone: 'UTC' } });

describe('creating a calendar in a connected account', () => {
  let p: Providers;
  before(async () => (p = await startProviders({ xandikos: true })));
  after(() => p.stop());

  it('Google: made with its zone, listed, synced and written to; a grant without calendar.app.created is 403 INSUFFICIENT_SCOPE', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const account = (await p.store.tenant(env.tenantId).accounts.list())[0]!;
    const made = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Bookings', timeZone: 'Europe/Berlin' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    assert.equal(made.json.name, 'Bookings');
    assert.equal(made.json.timeZone, 'Europe/Berlin');
    assert.equal(made.json.accountId, account.id);
    assert.match(made.json.providerCalendarId, /@group\.calendar\.google\.com$/);
    const listed = p.google.control.requests().filter((r) => r.method === 'POST' && r.path === '/calendar/v3/calendars');
    assert.equal(listed.length, 1);
    assert.equal((await call('GET', `/v1/calendars/${made.json.id}`)).status, 200);
    const ev = await call('POST', `/v1/calendars/${made.json.id}/events`, slot('First booking'));
    assert.equal(ev.status, 201);
    await settle(env.deps, env.tenantId, [made.json.id]);
    assert.deepEqual(p.google.control.listStoredEvents(made.json.providerCalendarId).map((e) => e.event.summary), ['First booking']);
    await app.close();

    // The grant calhub asked for before this version: read and events, no calendar creation.
    const email = account.externalId;
    const { accessToken } = p.google.control.issueGrant({ email, scope: 'https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events' });
    const narrow = createGoogleConnector({ baseUrl: p.google.url });
    const ctx = { credentials: { kind: 'oauth' as const, getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() };
    const old = await apiFor(p.store, env.tenantId, async () => ({ connector: narrow, ctx }));
    const refused = await old.call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Not allowed' });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'INSUFFICIENT_SCOPE');
    assert.match(refused.json.error.message, /calendar\.app\.created.*connect the account again/);
    await old.app.close();
  });

  it('Microsoft 365: made in the mailbox\'s zone (another zone is 400 VALIDATION_FAILED); the same name again is 409 CALENDAR_EXISTS', async () => {
    const env = await microsoftModelEnv(p.ms, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const account = (await p.store.tenant(env.tenantId).accounts.list())[0]!;
    // Graph calendars have no zone of their own: another zone is refused, not silently replaced.
    const otherZone = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Bookings', timeZone: 'Europe/Berlin' });
    assert.equal(otherZone.status, 400, JSON.stringify(otherZone.json));
    assert.equal(otherZone.json.error.code, 'VALIDATION_FAILED');
    assert.match(otherZone.json.error.message, /takes the mailbox's, UTC, not Europe\/Berlin/);
    const made = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Bookings' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    assert.equal(made.json.timeZone, 'UTC', "the mailbox's zone");
    const ev = await call('POST', `/v1/calendars/${made.json.id}/events`, slot('Teams booking'));
    assert.equal(ev.status, 201);
    await settle(env.deps, env.tenantId, [made.json.id]);
    const there = p.ms.control.calendarView({ userId: account.externalId, calendarId: made.json.providerCalendarId, start: '2026-12-14T00:00:00Z', end: '2026-12-15T00:00:00Z' });
    assert.deepEqual(there.map((e) => e.subject), ['Teams booking']);
    const again = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'bookings' });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'CALENDAR_EXISTS');
    assert.equal((await p.store.tenant(env.tenantId).calendars.list({ accountId: account.id })).length, 4, 'nothing recorded for the refusal');
    await app.close();
  });

  for (const [name, server] of [['Radicale', () => p.radicale]] as const) {
    it(`CalDAV (${name}): MKCALENDAR with its name and zone, read back by discovery, written to`, async () => {
      const dav = server();
      const env = await davModelEnv(dav, p.store);
      const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
      const account = (await p.store.tenant(env.tenantId).accounts.list())[0]!;
      const made = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Team Bookings & Co', timeZone: 'America/New_York' });
      assert.equal(made.status, 201, JSON.stringify(made.json));
      assert.equal(made.json.name, 'Team Bookings & Co');
      assert.equal(made.json.timeZone, 'America/New_York', 'calendar-timezone read back');
      assert.match(made.json.providerCalendarId, /\/team-bookings-co-[0-9a-f]{6}\/$/);
      const ev = await call('POST', `/v1/calendars/${made.json.id}/events`, slot('DAV booking'));
      assert.equal(ev.status, 201);
      await settle(env.deps, env.tenantId, [made.json.id]);
      const res = await fetch(made.json.providerCalendarId, { method: 'PROPFIND', headers: { depth: '1', ...authHeader(dav) } });
      assert.equal(res.status, 207);
      assert.match(await res.text(), /\.ics</, 'the event is stored in the new collection');
      await app.close();
    });
  }

  it("CalDAV (Xandikos): a zone the server does not keep (calendar-timezone 404, PROPPATCH 409) is 400 VALIDATION_FAILED naming both, nothing left; without a zone it is UTC", async () => {
    const dav = p.xandikos!;
    const env = await davModelEnv(dav, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const t = p.store.tenant(env.tenantId);
    const account = (await t.accounts.list())[0]!;
    const collections = async () => (await (await fetch(dav.homeUrl, { method: 'PROPFIND', headers: { depth: '1', ...authHeader(dav) } })).text()).match(/kolkata-[0-9a-f]{6}/g) ?? [];
    const refused = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Kolkata', timeZone: 'Asia/Kolkata' });
    assert.equal(refused.status, 400, JSON.stringify(refused.json));
    assert.equal(refused.json.error.code, 'VALIDATION_FAILED');
    assert.match(refused.json.error.message, /calendar-timezone answered 404.*in UTC, not Asia\/Kolkata/);
    assert.deepEqual(await collections(), [], 'the collection made is removed');
    assert.equal((await t.calendars.list({ accountId: account.id })).length, 3, 'nothing recorded');
    const made = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Kolkata' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    assert.equal(made.json.timeZone, 'UTC');
    await app.close();
  });

  it('CalDAV (Xandikos): a name with a control character is 400 INVALID_TEXT on create and rename, nothing sent; a 400 to MKCALENDAR is permanent and leaves no collection', async () => {
    const dav = p.xandikos!;
    const env = await davModelEnv(dav, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const t = p.store.tenant(env.tenantId);
    const account = (await t.accounts.list())[0]!;
    const collections = async () => (await (await fetch(dav.homeUrl, { method: 'PROPFIND', headers: { depth: '1', ...authHeader(dav) } })).text()).match(/<[^>]*href>[^<]*<\//g)?.length ?? 0;
    const before = await collections();
    for (const name of ['bell\u0007x', '\u001b', 'x\u0001y']) {
      const r = await call('POST', `/v1/accounts/${account.id}/calendars`, { name });
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'INVALID_TEXT');
      assert.match(r.json.error.message, /control character U\+00/);
    }
    const cal = (await t.calendars.list({ accountId: account.id }))[0]!;
    const renamed = await call('PATCH', `/v1/calendars/${cal.id}`, { name: 'x\u0001y' });
    assert.equal(renamed.status, 400, JSON.stringify(renamed.json));
    assert.equal(renamed.json.error.code, 'INVALID_TEXT');
    assert.equal((await t.calendars.get(cal.id))!.name, cal.name);
    // The connector alone (no hub check): Xandikos's 400 is a refusal, not "try again", and the
    // collection it made before refusing the body is removed.
    const { connector, ctx } = await env.deps.connect(account);
    await assert.rejects(connector.createCalendar(ctx, { name: 'bell\u0007x', timeZone: null }), (e: Error & { code?: string }) => e.code === 'CONNECTOR_UNSUPPORTED');
    assert.equal(await collections(), before, 'no orphan collection');
    await app.close();
  });

  it('refusals: another tenant\'s account is 404, an unknown zone 400 ZONE_UNKNOWN, a missing name 400', async () => {
    const env = await davModelEnv(p.radicale, p.store);
    const other = await davModelEnv(p.radicale, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const theirs = (await p.store.tenant(other.tenantId).accounts.list())[0]!;
    assert.equal((await call('POST', `/v1/accounts/${theirs.id}/calendars`, { name: 'x' })).status, 404);
    const mine = (await p.store.tenant(env.tenantId).accounts.list())[0]!;
    const zone = await call('POST', `/v1/accounts/${mine.id}/calendars`, { name: 'x', timeZone: 'Mars/Olympus' });
    assert.equal(zone.status, 400);
    assert.equal(zone.json.error.code, 'ZONE_UNKNOWN');
    assert.equal((await call('POST', `/v1/accounts/${mine.id}/calendars`, {})).status, 400);
    assert.equal((await p.store.tenant(env.tenantId).calendars.list({ accountId: mine.id })).length, 3, 'nothing made');
    await app.close();
  });
});
