/**
 * CalDAV accounts take the same access levels as Google and Microsoft (POST /v1/accounts/caldav
 * `access`): a user may share only when they are busy, or not let calhub write. Against a real
 * Radicale: freebusy stores no title, note, place or guest and answers the busy time; writes are 409
 * ACCOUNT_READ_ONLY; a reconnect with a new password and no access keeps freebusy; readwrite
 * brings the details back with the next sync.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { openHub, resync, type Hub } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { putEvent, serverObjects } from '../support/dav-content.ts';
import { openTestStore } from '../support/test-store.ts';

const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
const SECRET = /Therapy|private notes|Clinic|dr\.smith/;

describe('CalDAV accounts with an access level', () => {
  let dav: DavServer;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let calUrl: string;
  let accountId = '';

  before(async () => {
    dav = await startRadicale();
    calUrl = await makeCalendar(dav, 'Private');
    await putEvent(dav, calUrl, {
      uid: 'therapy', summary: 'Therapy appointment - Dr. Smith', start: `DTSTART:${day}T150000Z`, end: `DTEND:${day}T160000Z`,
      extra: ['DESCRIPTION:private notes', 'LOCATION:Clinic\\, 2nd floor', 'ATTENDEE;CN=Dr Smith:mailto:dr.smith@example.com'],
    });
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({ store, config: loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' }), logger: createLogger({ level: 'silent' }) });
    app = await buildApp({ hub, probes: [] });
    const t = await store.tenants.create('caldav-access');
    key = t.apiKey;
  });
  after(async () => {
    await app?.close();
    await hub?.close();
    await hub?.store.close();
    await dav?.stop();
  });

  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
  };
  const connect = async (extra: Record<string, unknown>) => {
    const r = await api('POST', '/v1/accounts/caldav', { url: dav.homeUrl, username: dav.username, password: dav.password, ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    // The answer says what access the account has now, as GET /v1/accounts/:id does.
    assert.equal(r.json.access, (await api('GET', `/v1/accounts/${r.json.id}`)).json.access);
    return r.json.id as string;
  };
  const events = async () => (await hub.store.db.query<{ id: string; data: { title: string | null } }>('SELECT id, data FROM events')).map((r) => r);
  const storeText = async () => (await hub.store.db.query<{ t: string }>('SELECT data::text AS t FROM events UNION ALL SELECT base::text FROM sync_ledger WHERE base IS NOT NULL')).map((r) => r.t).join('\n');

  it('an unknown access is a 400', async () => {
    const r = await api('POST', '/v1/accounts/caldav', { url: dav.homeUrl, username: dav.username, password: dav.password, access: 'everything' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'INVALID_REQUEST');
  });

  it('freebusy: busy time only, no details stored, writes refused', async () => {
    accountId = await connect({ access: 'freebusy' });
    await resync(hub, accountId, { wait: true });
    assert.equal((await api('GET', `/v1/accounts/${accountId}`)).json.access, 'freebusy');
    const [e] = await events();
    assert.ok(e, 'the event is stored');
    assert.equal(e.data.title, null);
    assert.doesNotMatch(await storeText(), SECRET);
    const calendarId = (await api('GET', `/v1/calendars?accountId=${accountId}`)).json.items[0].id;
    const fb = await api('POST', '/v1/freebusy', { timeMin: new Date(Date.now()).toISOString(), timeMax: new Date(Date.now() + 4 * 86_400_000).toISOString(), calendarIds: [calendarId] });
    assert.match(JSON.stringify(fb.json), /T15:00:00(\.000)?Z/);
    const write = await api('PATCH', `/v1/events/${e.id}`, { title: 'mine now' });
    assert.equal(write.status, 409);
    assert.equal(write.json.error.code, 'ACCOUNT_READ_ONLY');
  });

  it('a reconnect that names no access keeps freebusy (a new password widens nothing)', async () => {
    const again = await api('POST', '/v1/accounts/caldav', { url: dav.homeUrl, username: dav.username, password: dav.password });
    assert.deepEqual([again.json.id, again.json.access], [accountId, 'freebusy'], 'the reconnect answer names the access kept');
    assert.equal((await api('GET', `/v1/accounts/${accountId}`)).json.access, 'freebusy');
  });

  it('readwrite again: the next sync stores the details; the server still has them', async () => {
    await connect({ access: 'readwrite' });
    await resync(hub, accountId, { wait: true });
    const [e] = await events();
    assert.equal(e!.data.title, 'Therapy appointment - Dr. Smith');
    const [obj] = await serverObjects(dav, calUrl);
    assert.equal(obj!.events[0]!.title, 'Therapy appointment - Dr. Smith');
    assert.equal(obj!.events[0]!.description, 'private notes');
  });

  it('read: nothing reaches the server — a calendar is not made, a write queued anyway parks with the reason', async () => {
    await connect({ access: 'read' });
    const made = await api('POST', `/v1/accounts/${accountId}/calendars`, { name: 'New one' });
    assert.equal(made.status, 409, JSON.stringify(made.json));
    assert.equal(made.json.error.code, 'ACCOUNT_READ_ONLY');
    // A change queued past the API's check (a mirror rule's run, say): the delete of the event.
    const [cal] = await hub.store.tenant((await hub.store.tenants.list())[0]!.id).calendars.list({ accountId });
    const uid = 'therapy';
    const t = hub.store.tenant(cal!.tenantId);
    // As the hub's own delete writes it: the merge base pinned, the row gone, the outbox entry.
    await hub.store.db.query(
      `UPDATE sync_ledger l SET base = (SELECT jsonb_agg(e.data) FROM events e WHERE e.calendar_id = l.calendar_id AND e.remote_id = l.remote_id) WHERE l.calendar_id = $1 AND l.base IS NULL`, [cal!.id]);
    await hub.store.db.query('DELETE FROM events WHERE calendar_id = $1 AND uid = $2', [cal!.id, uid]);
    await t.outbox.upsert(cal!.id, uid, 'delete');
    for (let i = 0; i < 4; i++) await resync(hub, accountId, { wait: true });
    const [entry] = await hub.store.db.query<{ attempts: number; last_error: string }>('SELECT attempts, last_error FROM outbox WHERE calendar_id = $1', [cal!.id]);
    assert.ok(entry && entry.attempts >= 3, `parked: ${JSON.stringify(entry)}`);
    assert.match(entry.last_error, /ACCOUNT_READ_ONLY: .*read access/);
    assert.equal((await serverObjects(dav, calUrl)).length, 1, 'the event is still on the server');
  });
});
