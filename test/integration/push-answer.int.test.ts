/**
 * The provider's answer to calhub's own write is the event's new version, and calhub's own: an
 * event created with attendees (Google and Graph fill in the organizer) or a series with an
 * override (each occurrence's first write gets its provider id) is stored as the provider answered
 * it, with webhooks that say writtenByCalhub — including the event.updated that brings the
 * providerEventId — a second sync that sees nothing, and the etag the create answered still
 * matching. Before the fix the answer's webhook said writtenByCalhub: false, a create whose content
 * the provider did not change sent no webhook when it got its provider id, and the create's etag
 * met a 412.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { composeWebhooks } from '../../shared/store/index.ts';
import { etagOf, EventChangedError, settle, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { startRadicale, type DavServer } from '../support/dav-servers.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
type Msg = { type: string; payload: { data: Record<string, any> } };

let store: Store;
let seen = '0';

/** The webhook messages composed since the last call, of one tenant. */
async function messages(tenantId: string): Promise<Msg[]> {
  await composeWebhooks(store.db, { now: new Date() });
  const rows = await store.db.query<Msg & { seq: string }>('SELECT seq::text AS seq, type, payload FROM webhook_messages WHERE seq > $1 AND tenant_id = $2 ORDER BY seq', [seen, tenantId]);
  const [last] = await store.db.query<{ m: string }>('SELECT COALESCE(max(seq), 0)::text AS m FROM webhook_messages');
  seen = last!.m;
  return rows;
}

const at = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });

async function withEndpoint(env: ModelEnv): Promise<string> {
  await env.store.tenant(env.tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  await messages(env.tenantId);
  return env.calendars[0]!;
}

async function createWithAttendees(env: ModelEnv): Promise<void> {
  const cal = await withEndpoint(env);
  const t = env.store.tenant(env.tenantId);
  const created = await env.writer.create(env.tenantId, cal, {
    uid: '', title: 'Planning', start: at('2026-12-10T09:00:00Z'), end: at('2026-12-10T10:00:00Z'),
    attendees: [{ email: 'bob@example.com', name: null, response: 'needsAction', optional: false, self: false }],
  });
  await settle(env.deps, env.tenantId, [cal]);
  const row = (await t.events.get(created.id))!;
  assert.ok(row.remoteId, 'the create has its provider id');
  assert.equal(row.event.providerEventId, row.remoteId);
  assert.ok(row.event.organizer, 'the organizer the provider filled in (CalDAV: the one calhub wrote) is stored');
  const [agreed] = await t.ledger.byUid(cal, row.event.uid);
  assert.equal(agreed!.providerVersion, row.event.providerVersion, 'the ledger agrees on the version the provider answered');

  const sent = await messages(env.tenantId);
  assert.deepEqual(sent.map((m) => [m.type, m.payload.data.writtenByCalhub]), [['event.created', true], ['event.updated', true]]);
  assert.equal(sent[1]!.payload.data.event.providerEventId, row.remoteId, 'the app is told the provider id');

  const again = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([again.applied, again.written, again.conflicts], [0, 0, 0], 'the answer is no outside edit');
  assert.deepEqual(await messages(env.tenantId), []);

  // The caller holds the version it wrote: the provider's echo of it is no reason for a 412.
  await env.writer.update(env.tenantId, created.id, { title: 'Planning (moved)' }, etagOf(created));
  await settle(env.deps, env.tenantId, [cal]);
  const renamed = await messages(env.tenantId);
  assert.ok(renamed.length > 0 && renamed.every((m) => m.payload.data.writtenByCalhub === true), JSON.stringify(renamed.map((m) => [m.type, m.payload.data.writtenByCalhub])));
  assert.equal((await settle(env.deps, env.tenantId, [cal])).applied, 0);

  // Changed since (here, then at the provider): the etags of calhub's earlier writes no longer match.
  const held = (await t.events.get(created.id))!;
  const [obj] = (await env.driver.list(0)).filter((o) => o.remoteId === held.remoteId);
  await env.driver.put(0, held.remoteId, obj!.events.map((e) => ({ ...e, title: 'Planning (theirs)' })));
  await settle(env.deps, env.tenantId, [cal]);
  for (const stale of [created, held]) await assert.rejects(env.writer.update(env.tenantId, created.id, { title: 'late' }, etagOf(stale)), EventChangedError);
  await env.writer.update(env.tenantId, created.id, { title: 'late' }, etagOf((await t.events.get(created.id))!));
}

async function seriesWithOverride(env: ModelEnv): Promise<void> {
  const cal = await withEndpoint(env);
  const t = env.store.tenant(env.tenantId);
  const uid = `series-${Math.random().toString(36).slice(2)}@calhub.test`;
  const master = parseEvent({ uid, title: 'Weekly', start: at('2026-12-07T09:00:00Z'), end: at('2026-12-07T10:00:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
  const moved = parseEvent({ uid, title: 'Weekly', originalStart: at('2026-12-14T09:00:00Z'), start: at('2026-12-14T13:00:00Z'), end: at('2026-12-14T14:00:00Z') });
  await writeUid(env.deps, env.tenantId, cal, uid, [master, moved]);
  await settle(env.deps, env.tenantId, [cal]);
  const rows = await t.events.byUid(cal, uid);
  assert.ok(rows.every((r) => r.remoteId), 'master and override have their provider ids');
  const sent = await messages(env.tenantId);
  assert.ok(sent.length >= 2 && sent.every((m) => m.payload.data.writtenByCalhub === true), JSON.stringify(sent.map((m) => [m.type, m.payload.data.writtenByCalhub])));
  const ids = sent.flatMap((m) => [m.payload.data.event?.providerEventId, ...(m.payload.data.series?.instances ?? []).map((i: { event: { providerEventId: string } }) => i.event.providerEventId)]);
  for (const r of rows) assert.ok(ids.includes(r.remoteId), `a webhook tells ${r.remoteId}`);
  assert.deepEqual((await settle(env.deps, env.tenantId, [cal])).applied, 0);
  assert.deepEqual(await messages(env.tenantId), []);

  // An override changed again: the answer is calhub's own, and the override's etag still matches.
  const override = rows.find((r) => r.event.originalStart)!;
  await env.writer.update(env.tenantId, override.id, { title: 'Weekly (late)' }, etagOf(override));
  await settle(env.deps, env.tenantId, [cal]);
  const changed = await messages(env.tenantId);
  assert.ok(changed.length > 0 && changed.every((m) => m.payload.data.writtenByCalhub === true), JSON.stringify(changed.map((m) => [m.type, m.payload.data.writtenByCalhub])));
  const again = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([again.applied, again.written, again.conflicts], [0, 0, 0]);
}

/**
 * A CalDAV server that changes what it stores (a scheduling server naming the organizer) and so,
 * as RFC 4791 §5.3.4 asks, answers the PUT without an ETag: Radicale behind a proxy that does
 * that to every PUT of an event whose ORGANIZER has no name (it adds the owner's).
 */
async function rewritingProxy(dav: DavServer): Promise<{ server: DavServer; puts: () => number }> {
  let puts = 0;
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const rewrite = req.method === 'PUT' && body.includes('ORGANIZER:mailto:');
      if (rewrite) {
        puts += 1;
        body = Buffer.from(body.toString('utf8').replace('ORGANIZER:mailto:', 'ORGANIZER;CN=Owner:mailto:'));
      }
      const headers = { ...req.headers, 'content-length': String(body.length) };
      const up = http.request(new URL(req.url ?? '/', dav.url), { method: req.method, headers }, (r) => {
        const answer = { ...r.headers };
        if (rewrite) delete answer.etag;
        res.writeHead(r.statusCode ?? 502, answer);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const swap = (u: string) => base + new URL(u).pathname;
  return {
    server: { ...dav, url: swap(dav.url), homeUrl: swap(dav.homeUrl), stop: () => new Promise<void>((resolve) => proxy.close(() => resolve())) },
    puts: () => puts,
  };
}

/**
 * A hub edit lands while the create is on its way to the provider: the answer must not overwrite
 * it. The edit stays, the ledger learns the provider's version, and the edit's own push follows
 * with no conflict and no outside edit seen.
 */
async function editWhileWriting(env: ModelEnv): Promise<void> {
  const cal = await withEndpoint(env);
  const t = env.store.tenant(env.tenantId);
  const created = await env.writer.create(env.tenantId, cal, {
    uid: '', title: 'Review', start: at('2026-12-11T09:00:00Z'), end: at('2026-12-11T10:00:00Z'),
    attendees: [{ email: 'bob@example.com', name: null, response: 'needsAction', optional: false, self: false }],
  });
  const connect = env.deps.connect;
  let pending = true;
  env.deps.connect = async (...args) => {
    const c = await connect(...args);
    const connector = new Proxy(c.connector, {
      get(target, p) {
        const v = Reflect.get(target, p) as unknown;
        if (p !== 'putObject') return typeof v === 'function' ? v.bind(target) : v;
        return async (...a: Parameters<typeof target.putObject>) => {
          const answer = await target.putObject(...a);
          if (pending) {
            pending = false;
            await env.writer.update(env.tenantId, created.id, { title: 'Review (edited meanwhile)' }, etagOf(created));
          }
          return answer;
        };
      },
    });
    return { ...c, connector };
  };
  try {
    const first = await settle(env.deps, env.tenantId, [cal]);
    assert.equal(first.conflicts, 0);
    const row = (await t.events.get(created.id))!;
    assert.equal(row.event.title, 'Review (edited meanwhile)', 'the answer did not overwrite the later edit');
    const remote = (await env.driver.list(0)).flatMap((o) => o.events).find((e) => e.uid === created.event.uid)!;
    assert.equal(remote.title, 'Review (edited meanwhile)', 'the later edit reached the provider');
    const again = await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual([again.applied, again.written, again.conflicts], [0, 0, 0]);
    assert.equal((await t.events.get(created.id))!.event.title, 'Review (edited meanwhile)');
  } finally {
    env.deps.connect = connect;
  }
}

describe("the provider's answer to calhub's own write", () => {
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let dav: DavServer;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    dav = await startRadicale();
  });
  after(async () => {
    await store?.close();
    await google?.close();
    await ms?.close();
    await dav?.stop();
  });

  it('Google: a create with attendees', async () => createWithAttendees(await googleModelEnv(google, store)));
  it('Microsoft Graph: a create with attendees', async () => createWithAttendees(await microsoftModelEnv(ms, store)));
  // The account's address (given at connect, dav-model-env.ts) is written as ORGANIZER and read back.
  it('Radicale: a create with attendees', async () => createWithAttendees(await davModelEnv(dav, store)));
  it('CalDAV: a server that rewrites the item and answers the PUT without an ETag', async () => {
    const proxied = await rewritingProxy(dav);
    try {
      await createWithAttendees(await davModelEnv(proxied.server, store));
      assert.ok(proxied.puts() > 0, 'the server rewrote the hub\'s PUT');
    } finally {
      await proxied.server.stop();
    }
  });
  it('Google: a hub edit made while the create was on its way stays', async () => editWhileWriting(await googleModelEnv(google, store)));
  it('Radicale: a hub edit made while the create was on its way stays', async () => editWhileWriting(await davModelEnv(dav, store)));
  it('Google: a series with an override, and the override changed again', async () => seriesWithOverride(await googleModelEnv(google, store)));
  it('Microsoft Graph: a series with an override, and the override changed again', async () => seriesWithOverride(await microsoftModelEnv(ms, store)));
  it('Radicale: a series with an override, and the override changed again', async () => seriesWithOverride(await davModelEnv(dav, store)));
});
