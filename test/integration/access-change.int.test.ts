/**
 * An account connected again with less access, then more, through the connect API and the
 * emulators' consent pages. To freebusy: what was stored of its events beyond busy time goes at
 * that moment (rows, merge bases, conflicts, journal; the busy index unchanged), its waiting writes
 * park with ACCOUNT_READ_ONLY, the tenant hears account.updated (and no event.updated per event),
 * and nothing scrubbed reaches the provider. Back to readwrite: the next sync stores the details
 * again and the parked write goes out merged with them; a hub delete made before that sync stands.
 * The account's access shows in the API.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { createWebhookEndpoint, openHub, resync, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { consent } from '../support/consent.ts';
import { openTestStore } from '../support/test-store.ts';

const BACK = 'https://tenant.example.com/connected';
const PORT = 3997;
const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const SECRET_WORDS = /Therapy|private notes|Clinic|dr\.smith|Lunch with Ann|Cafe Rouge|ann@/;

/** What the test needs of a provider's emulator. */
interface Provider {
  id: 'google' | 'microsoft';
  /** Who signs in on the consent page. */
  login: string;
  env: Record<string, string>;
  /** The two events at the provider: A is left alone, B is moved in the hub. Returns their provider ids. */
  seed(): { a: string; b: string };
  /** The provider's copy of an event: its title and start instant. */
  read(id: string): { title: string | null; start: string };
  /** The event is no longer at the provider (Google keeps it as cancelled). */
  gone(id: string): boolean;
  close(): Promise<void>;
}

async function googleProvider(): Promise<Provider> {
  const email = 'access.change@example.com';
  const emu: RunningGoogleEmulator = await startGoogleEmulator();
  emu.control.createUser({ email, timeZone: 'UTC' });
  return {
    id: 'google', login: email,
    env: { GOOGLE_CLIENT_ID: 'access-change', GOOGLE_OAUTH_BASE_URL: emu.url, GOOGLE_API_BASE_URL: emu.url },
    seed: () => ({
      a: emu.control.insertEvent(email, {
        summary: 'Therapy appointment - Dr. Smith', description: 'private notes', location: 'Clinic, 2nd floor',
        start: { dateTime: `${day}T15:00:00Z` }, end: { dateTime: `${day}T16:00:00Z` },
        attendees: [{ email, responseStatus: 'accepted' }, { email: 'dr.smith@example.com' }],
      }).id as string,
      b: emu.control.insertEvent(email, {
        summary: 'Lunch with Ann', location: 'Cafe Rouge', start: { dateTime: `${day}T12:00:00Z` }, end: { dateTime: `${day}T13:00:00Z` },
        attendees: [{ email, responseStatus: 'accepted' }, { email: 'ann@example.com' }],
      }).id as string,
    }),
    read: (id) => {
      const e = emu.control.getEvent(email, id) as { summary?: string; start: { dateTime: string } };
      return { title: e.summary ?? null, start: new Date(e.start.dateTime).toISOString() };
    },
    gone: (id) => (emu.control.getEvent(email, id) as { status?: string }).status === 'cancelled',
    close: () => emu.close(),
  };
}

async function microsoftProvider(): Promise<Provider> {
  const emu: MicrosoftEmulator = await startMicrosoftEmulator();
  const user = emu.control.createUser({ email: 'access.change@contoso.test', displayName: 'Access Change' });
  emu.control.registerApp({ clientId: 'access-change', redirectUris: [`http://127.0.0.1:${PORT}/oauth/microsoft/callback`] });
  const make = (event: Record<string, unknown>) => (emu.control.createEvent({ userId: user.id, calendarId: user.calendarId, event: event as never }) as { id: string }).id;
  return {
    id: 'microsoft', login: user.id,
    env: { MICROSOFT_CLIENT_ID: 'access-change', MICROSOFT_LOGIN_BASE_URL: emu.url, MICROSOFT_GRAPH_BASE_URL: emu.url },
    seed: () => ({
      a: make({
        subject: 'Therapy appointment - Dr. Smith', body: { contentType: 'text', content: 'private notes' }, location: { displayName: 'Clinic, 2nd floor' },
        start: { dateTime: `${day}T15:00:00`, timeZone: 'UTC' }, end: { dateTime: `${day}T16:00:00`, timeZone: 'UTC' },
        attendees: [{ emailAddress: { address: 'dr.smith@example.com', name: 'Dr Smith' }, type: 'required' }],
      }),
      b: make({
        subject: 'Lunch with Ann', location: { displayName: 'Cafe Rouge' },
        start: { dateTime: `${day}T12:00:00`, timeZone: 'UTC' }, end: { dateTime: `${day}T13:00:00`, timeZone: 'UTC' },
        attendees: [{ emailAddress: { address: 'ann@example.com', name: 'Ann' }, type: 'required' }],
      }),
    }),
    read: (id) => {
      const e = emu.control.getEvent({ userId: user.id, id }) as { subject?: string; start: { dateTime: string } };
      return { title: e.subject ?? null, start: new Date(`${e.start.dateTime.slice(0, 19)}Z`).toISOString() };
    },
    gone: (id) => {
      try {
        emu.control.getEvent({ userId: user.id, id });
        return false;
      } catch {
        return true;
      }
    },
    close: () => emu.close(),
  };
}

for (const make of [googleProvider, microsoftProvider]) {
  describe(`${make.name.replace('Provider', '')}: an account connected again with other access`, () => {
    let p: Provider;
    let hub: Hub;
    let app: FastifyInstance;
    let key: string;
    let tenantId: string;
    let ids: { a: string; b: string };
    let accountId = '';
    let calendarId = '';

    before(async () => {
      p = await make();
      ids = p.seed();
      const store = await openTestStore();
      await store.migrate();
      hub = await openHub({
        store,
        config: loadConfig({ ...p.env, PORT: String(PORT), WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' }),
        logger: createLogger({ level: 'silent' }),
        keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
        guard: { maxDeleteShare: 1, minObjects: 1_000_000 },
      });
      app = await buildApp({ hub });
      const t = await store.tenants.create('access-change');
      tenantId = t.tenant.id;
      key = t.apiKey;
      // An endpoint, so the tenant's webhook messages are recorded (not delivered here).
      await createWebhookEndpoint({ store, keyring: hub.keyring, allowPrivateNetworks: true }, tenantId, { url: 'http://127.0.0.1:9/hooks', events: ['*'] });
    });
    after(async () => {
      await app?.close();
      await hub?.close();
      await hub?.store.close();
      await p?.close();
    });

    const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
      const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
      return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
    };

    async function connect(access: string): Promise<string> {
      const a = await api('POST', `/v1/oauth/${p.id}/authorize-url`, { redirectUri: BACK, access, ...(accountId ? { accountId } : {}) });
      assert.equal(a.status, 200, JSON.stringify(a.json));
      const back = await consent(a.json.url, { account: p.login, decision: 'allow' });
      const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
      assert.equal(cb.statusCode, 302, cb.body);
      const to = new URL(cb.headers.location as string);
      assert.equal(to.searchParams.get('error'), null, to.toString());
      return to.searchParams.get('accountId')!;
    }

    const stored = async () => hub.store.db.query<{ id: string; data: { title: string | null; location: string | null; attendees: unknown[] } }>(
      'SELECT id, data FROM events WHERE calendar_id = $1 ORDER BY id', [calendarId]);
    const storeText = async () => (await hub.store.db.query<{ t: string }>(
      `SELECT data::text AS t FROM events UNION ALL SELECT base::text FROM sync_ledger WHERE base IS NOT NULL
       UNION ALL SELECT coalesce(base::text, '') || coalesce(local::text, '') || coalesce(remote::text, '') FROM conflicts
       UNION ALL SELECT coalesce(before::text, '') || coalesce(after::text, '') FROM write_journal`)).map((r) => r.t).join('\n');
    const busyRows = async () => JSON.stringify(await hub.store.db.query('SELECT * FROM busy_spans WHERE calendar_id = $1 ORDER BY uid, event_key', [calendarId]));
    const busyVersion = async () => (await hub.store.db.query<{ v: string }>('SELECT busy_version::text AS v FROM calendars WHERE id = $1', [calendarId]))[0]!.v;
    const eventMessages = async () => (await hub.store.db.query<{ op: string; subject_id: string }>(
      `SELECT op, subject_id FROM webhook_outbox WHERE kind = 'event' AND calendar_id = $1 ORDER BY seq`, [calendarId]));
    const outbox = async () => hub.store.db.query<{ attempts: number; last_error: string | null }>('SELECT attempts, last_error FROM outbox WHERE calendar_id = $1', [calendarId]);
    /** The hub's event ids of A and B, found by title while the titles are there. */
    const hubIds = { a: '', b: '' };
    const eventOf = async (which: 'a' | 'b') => (await stored()).find((r) => r.id === hubIds[which])!;

    it('connected with readwrite: the details are stored and the account says readwrite', async () => {
      assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: BACK })).status, 200);
      accountId = await connect('readwrite');
      calendarId = (await api('GET', `/v1/calendars?accountId=${accountId}`)).json.items[0].id;
      await resync(hub, accountId, { wait: true });
      const rows = await stored();
      hubIds.a = rows.find((r) => r.data.title?.startsWith('Therapy'))!.id;
      hubIds.b = rows.find((r) => r.data.title === 'Lunch with Ann')!.id;
      assert.equal((await api('GET', `/v1/accounts/${accountId}`)).json.access, 'readwrite');
      // A hub write the provider took: the write journal keeps it whole.
      const made = await api('POST', `/v1/calendars/${calendarId}/events`, { title: 'Therapy follow-up', location: 'Clinic', start: { dateTime: `${day}T17:00:00Z` }, end: { dateTime: `${day}T17:30:00Z` } });
      assert.equal(made.status, 201, JSON.stringify(made.json));
      await resync(hub, accountId, { wait: true });
      assert.deepEqual(await outbox(), []);
      const journal = await hub.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM write_journal WHERE after::text LIKE '%Therapy follow-up%'`);
      assert.equal(journal[0]!.n, 1);
    });

    let busyBefore = '';
    let versionBefore = '';
    it('to freebusy: details scrubbed at once, busy index untouched, the waiting write parked, account.updated sent', async () => {
      // A hub write waiting for its push: B moved an hour later.
      const b = await eventOf('b');
      const moved = await api('PATCH', `/v1/events/${b.id}`, { start: { dateTime: `${day}T13:00:00Z` }, end: { dateTime: `${day}T14:00:00Z` } });
      assert.equal(moved.status, 200, JSON.stringify(moved.json));
      assert.equal((await outbox()).length, 1);
      busyBefore = await busyRows();
      versionBefore = await busyVersion();
      const eventMessagesBefore = await eventMessages();

      assert.equal(await connect('freebusy'), accountId, 'the same account');
      assert.deepEqual(await eventMessages(), eventMessagesBefore, 'no event.updated per scrubbed event: account.updated says it for all');
      assert.doesNotMatch(await storeText(), SECRET_WORDS, 'no title, note, place or guest left in the store');
      for (const r of await stored()) assert.deepEqual([r.data.title, r.data.location, r.data.attendees], [null, null, []]);
      assert.equal(await busyRows(), busyBefore, 'the busy index is exactly as it was');
      assert.equal(await busyVersion(), versionBefore, 'busy time did not change: cached answers stand');
      const [parked] = await outbox();
      assert.ok(parked!.attempts >= 3, 'parked');
      assert.match(parked!.last_error ?? '', /^ACCOUNT_READ_ONLY: .*freebusy/);

      assert.equal((await api('GET', `/v1/accounts/${accountId}`)).json.access, 'freebusy');
      const msgs = await hub.store.db.query<{ op: string; data: { access: string; oldAccess: string } }>(
        `SELECT op, data FROM webhook_outbox WHERE kind = 'account' AND account_id = $1 AND op = 'updated'`, [accountId]);
      assert.deepEqual(msgs.map((m) => [m.data.oldAccess, m.data.access]), [['readwrite', 'freebusy']]);
      const write = await api('PATCH', `/v1/events/${(await eventOf('a')).id}`, { start: { dateTime: `${day}T15:30:00Z` } });
      assert.equal(write.status, 409);
      assert.equal(write.json.error.code, 'ACCOUNT_READ_ONLY');
    });

    it('a sync under freebusy writes nothing to the provider and keeps the details out', async () => {
      await resync(hub, accountId, { wait: true, full: true });
      assert.equal(p.read(ids.a).title, 'Therapy appointment - Dr. Smith');
      assert.deepEqual(p.read(ids.b), { title: 'Lunch with Ann', start: `${day}T12:00:00.000Z` }, 'the parked move is not written');
      assert.doesNotMatch(await storeText(), SECRET_WORDS);
      assert.equal(await busyRows(), busyBefore);
    });

    it('back to readwrite: the next sync stores the details again; the parked move goes out, merged, titles intact', async () => {
      await connect('readwrite');
      const quiet = (await eventMessages()).length;
      await resync(hub, accountId, { wait: true });
      const restored = (await eventMessages()).slice(quiet).filter((m) => m.op === 'updated').map((m) => m.subject_id);
      assert.ok(restored.includes(hubIds.a), 'the details coming back are an event.updated');
      assert.equal((await eventOf('a')).data.title, 'Therapy appointment - Dr. Smith');
      assert.equal((await eventOf('b')).data.title, 'Lunch with Ann');
      assert.deepEqual(p.read(ids.b), { title: 'Lunch with Ann', start: `${day}T13:00:00.000Z` }, 'the move was written, the title was not emptied');
      assert.equal(p.read(ids.a).title, 'Therapy appointment - Dr. Smith');
      assert.deepEqual(await outbox(), []);
      const msgs = await hub.store.db.query<{ data: { access: string; oldAccess: string } }>(
        `SELECT data FROM webhook_outbox WHERE kind = 'account' AND account_id = $1 AND op = 'updated' ORDER BY seq`, [accountId]);
      assert.deepEqual(msgs.map((m) => [m.data.oldAccess, m.data.access]), [['readwrite', 'freebusy'], ['freebusy', 'readwrite']]);
    });

    it('a delete in the hub after access came back from freebusy, before the sync that restores the details, stands', async () => {
      await connect('freebusy');
      await connect('readwrite');
      assert.equal((await eventOf('a')).data.title, null, 'the details are not back yet');
      const del = await api('DELETE', `/v1/events/${hubIds.a}`);
      assert.ok(del.status < 300, JSON.stringify(del.json));
      await resync(hub, accountId, { wait: true });
      assert.ok(p.gone(ids.a), 'deleted at the provider: the details the listing brought back are no modification');
      assert.equal((await stored()).find((r) => r.id === hubIds.a), undefined, 'and not back in the hub');
      assert.equal((await eventOf('b')).data.title, 'Lunch with Ann');
    });
  });
}
