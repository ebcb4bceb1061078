/**
 * PATCH /v1/calendars/:id {name} renames the calendar at its provider — Google calendars.patch,
 * Graph PATCH /me/calendars/{id}, CalDAV PROPPATCH of its display name on Radicale — and in calhub.
 * Refusals are answered at once and change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../shared/store/index.ts';
import type { EngineDeps } from '../../sync-engine/index.ts';
import { createCalendar, renameCalendar } from '../../hub/index.ts';
import { apiOver } from '../support/api-over.ts';
import { authHeader } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { startProviders, type Providers } from '../support/providers.ts';

type Reply = { id: string; name: string; providerCalendarId: string; nameAtProvider?: string; error: { code: string; message: string } };
const apiFor = (store: Store, tenantId: string, connect: EngineDeps['connect']) => apiOver<Reply>({ store, tenantId, deps: { connect } });

describe('renaming a calendar at its provider', () => {
  let p: Providers;
  before(async () => (p = await startProviders()));
  after(() => p.stop());

  it('Google: renamed at Google and here; a calendar shared to read is 409 CALENDAR_READ_ONLY and keeps its name', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const t = p.store.tenant(env.tenantId);
    const account = (await t.accounts.list())[0]!;
    const made = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: 'Bookings' });
    assert.equal(made.status, 201);
    const r = await call('PATCH', `/v1/calendars/${made.json.id}`, { name: 'Client bookings' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.name, 'Client bookings');
    const { connector, ctx } = await env.deps.connect(account);
    assert.ok((await connector.listCalendars(ctx)).some((c) => c.name === 'Client bookings'), 'Google lists the new name');

    const owner = `owner-${Math.random().toString(36).slice(2, 8)}@example.com`;
    p.google.control.createUser({ email: owner });
    const theirs = p.google.control.createCalendar({ ownerEmail: owner, summary: 'Their team' });
    p.google.control.shareCalendar(theirs.id, account.externalId, 'reader');
    const [shared] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: theirs.id, name: 'Their team', timeZone: 'UTC', color: null, readOnly: true }]);
    const refused = await call('PATCH', `/v1/calendars/${shared!.id}`, { name: 'Mine now' });
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'CALENDAR_READ_ONLY');
    assert.equal((await t.calendars.get(shared!.id))!.name, 'Their team');
    assert.equal((await call('PATCH', `/v1/calendars/${made.json.id}`, { name: '   ' })).status, 400);

    // The user's own label stays: the answer names both, the label shown and the new name at Google.
    p.google.control.setSummaryOverride(made.json.providerCalendarId, account.externalId, 'My label');
    const labelled = await call('PATCH', `/v1/calendars/${made.json.id}`, { name: 'Renamed under a label' });
    assert.equal(labelled.status, 200, JSON.stringify(labelled.json));
    assert.deepEqual([labelled.json.name, labelled.json.nameAtProvider], ['My label', 'Renamed under a label']);
    await app.close();
  });

  it('Microsoft 365: renamed with PATCH /me/calendars/{id}; a name the mailbox has is 409 CALENDAR_EXISTS', async () => {
    const env = await microsoftModelEnv(p.ms, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const t = p.store.tenant(env.tenantId);
    const [first, second] = await Promise.all(env.calendars.slice(1, 3).map(async (id) => (await t.calendars.get(id))!));
    const r = await call('PATCH', `/v1/calendars/${first!.id}`, { name: 'Renamed in Outlook' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.name, 'Renamed in Outlook');
    const clash = await call('PATCH', `/v1/calendars/${second!.id}`, { name: 'renamed in outlook' });
    assert.equal(clash.status, 409, JSON.stringify(clash.json));
    assert.equal(clash.json.error.code, 'CALENDAR_EXISTS');
    assert.equal((await t.calendars.get(second!.id))!.name, second!.name);
    await app.close();
  });

  it('CalDAV (Radicale): PROPPATCH of the display name, read back from the server', async () => {
    const env = await davModelEnv(p.radicale, p.store);
    const { app, call } = await apiFor(p.store, env.tenantId, env.deps.connect);
    const cal = (await p.store.tenant(env.tenantId).calendars.get(env.calendars[0]!))!;
    const r = await call('PATCH', `/v1/calendars/${cal.id}`, { name: 'Team & Co' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.name, 'Team & Co');
    const res = await fetch(cal.providerCalendarId, {
      method: 'PROPFIND',
      headers: { depth: '0', 'content-type': 'application/xml', ...authHeader(p.radicale) },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>',
    });
    assert.match(await res.text(), /<D:displayname>Team &amp; Co<\/D:displayname>|<displayname[^>]*>Team &amp; Co</);
    assert.equal(r.json.nameAtProvider, 'Team & Co');
    // What the CLI calls (calendars rename / create): the API's name checks, not only its schema's.
    const { hub } = await apiFor(p.store, env.tenantId, env.deps.connect);
    await assert.rejects(renameCalendar(hub, env.tenantId, cal.id, 'x'.repeat(300)), (e: Error & { code?: string }) => e.code === 'VALIDATION_FAILED' && /at most 255/.test(e.message));
    await assert.rejects(createCalendar(hub, env.tenantId, cal.accountId, { name: 'y'.repeat(2000) }), (e: Error & { code?: string }) => e.code === 'VALIDATION_FAILED');
    assert.equal((await p.store.tenant(env.tenantId).calendars.get(cal.id))!.name, 'Team & Co');
    await app.close();
  });
});
