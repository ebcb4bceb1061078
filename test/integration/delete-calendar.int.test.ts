/**
 * DELETE /v1/calendars/:id deletes the calendar at its provider — Google calendars.delete, Graph
 * DELETE /me/calendars/{id}, CalDAV DELETE of the collection on Radicale — and in calhub with its
 * events and the mirror rules naming it. The provider's refusals are answered at once and remove
 * nothing; a calendar the provider had lost already is only removed here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGoogleConnector } from '../../connectors/google/index.ts';
import type { Store } from '../../shared/store/index.ts';
import type { EngineDeps } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { authHeader } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { startProviders, type Providers } from '../support/providers.ts';

type Reply = { id: string; providerCalendarId: string; deletedAtProvider: boolean; mirrorRulesRemoved: number; error: { code: string; message: string } };
const apiFor = (store: Store, tenantId: string, connect: EngineDeps['connect']) => apiOver<Reply>({ store, tenantId, deps: { connect } });
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('deleting a calendar at its provider', () => {
  let p: Providers;
  before(async () => (p = await startProviders()));
  after(() => p.stop());

  it('Google: a calendar made through calhub goes at Google and here; the primary is 409 CALENDAR_NOT_DELETABLE; one already gone is only removed here', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const t = p.store.tenant(env.tenantId);
    const account = (await t.accounts.list())[0]!;
    const made = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Bookings' });
    assert.equal(made.status, 201);
    const gone = await call('DELETE', `/v1/calendars/${made.json.id}`);
    assert.equal(gone.status, 200, JSON.stringify(gone.json));
    assert.deepEqual(gone.json, { id: made.json.id, deletedAtProvider: true, mirrorRulesRemoved: 0 });
    assert.equal(p.google.control.requests().filter((r) => r.method === 'DELETE' && r.path.startsWith('/calendar/v3/calendars/')).length, 1);
    assert.equal((await call('GET', `/v1/calendars/${made.json.id}`)).status, 404);
    assert.equal((await call('DELETE', `/v1/calendars/${made.json.id}`)).status, 404);

    const [primary] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: account.externalId, name: 'primary', timeZone: 'UTC', color: null, readOnly: false }]);
    const refused = await call('DELETE', `/v1/calendars/${primary!.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'CALENDAR_NOT_DELETABLE');
    assert.match(refused.json.error.message, /primary/);
    assert.equal((await call('GET', `/v1/calendars/${primary!.id}`)).status, 200, 'nothing removed');

    // Deleted in Google Calendar meanwhile: calhub's copy goes, and says so.
    const lost = (await t.calendars.get(env.calendars[2]!))!;
    p.google.control.deleteCalendar(lost.providerCalendarId);
    const r = await call('DELETE', `/v1/calendars/${lost.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.deletedAtProvider, false);
    await app.close();
  });

  it('Google: a grant with calendar.app.created only deletes the calendars calhub made (403 INSUFFICIENT_SCOPE otherwise)', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const t = p.store.tenant(env.tenantId);
    const account = (await t.accounts.list())[0]!;
    const scope = 'https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.app.created';
    const { accessToken } = p.google.control.issueGrant({ email: account.externalId, scope });
    const connector = createGoogleConnector({ baseUrl: p.google.url });
    const ctx = { credentials: { kind: 'oauth' as const, getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    const { app, call } = await apiFor(p.store, env.tenantId, async () => ({ connector, ctx }));
    const notOurs = (await t.calendars.get(env.calendars[1]!))!;
    const refused = await call('DELETE', `/v1/calendars/${notOurs.id}`);
    assert.equal(refused.status, 403, JSON.stringify(refused.json));
    assert.equal(refused.json.error.code, 'INSUFFICIENT_SCOPE');
    assert.match(refused.json.error.message, /only calendars calhub created/);
    assert.ok(await t.calendars.get(notOurs.id), 'nothing removed');
    const ours = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Ours' });
    assert.equal(ours.status, 201);
    assert.equal((await call('DELETE', `/v1/calendars/${ours.json.id}`)).status, 200);
    await app.close();
  });

  it('Microsoft 365: a calendar goes with a 204 at Graph; the default calendar is 409 CALENDAR_NOT_DELETABLE', async () => {
    const env = await microsoftModelEnv(p.ms, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const t = p.store.tenant(env.tenantId);
    const [byDefault, other] = await Promise.all(env.calendars.slice(0, 2).map(async (id) => (await t.calendars.get(id))!));
    const refused = await call('DELETE', `/v1/calendars/${byDefault!.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'CALENDAR_NOT_DELETABLE');
    const r = await call('DELETE', `/v1/calendars/${other!.id}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.deletedAtProvider, true);
    const { connector, ctx } = await env.deps.connect((await t.accounts.list())[0]!);
    const listed = (await connector.listCalendars(ctx)).map((c) => c.providerCalendarId);
    assert.ok(!listed.includes(other!.providerCalendarId), 'gone from the mailbox');
    assert.ok(listed.includes(byDefault!.providerCalendarId));
    await app.close();
  });

  it('CalDAV (Radicale): the collection is deleted; the mirror rule naming the calendar goes with it', async () => {
    const env = await davModelEnv(p.radicale, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const t = p.store.tenant(env.tenantId);
    const [a, b] = await Promise.all(env.calendars.slice(0, 2).map(async (id) => (await t.calendars.get(id))!));
    const rule = await call('POST', '/v1/rules', { sourceCalendarId: a!.id, targetCalendarId: b!.id, mode: 'busy-block' });
    assert.equal(rule.status, 201, JSON.stringify(rule.json));
    const r = await call('DELETE', `/v1/calendars/${b!.id}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json, { id: b!.id, deletedAtProvider: true, mirrorRulesRemoved: 1 });
    assert.equal((await fetch(b!.providerCalendarId, { method: 'PROPFIND', headers: { depth: '0', ...authHeader(p.radicale) } })).status, 404);
    assert.deepEqual(await t.mirror.list(), []);
    assert.ok(await t.calendars.get(a!.id), 'the other calendar stays');
    await app.close();
  });
});
