/**
 * A create the provider stored whose answer was lost (the connection cut after the write): the next
 * pull finds the object by UID before the hub has a ledger entry for it. The provider filled in
 * the organizer, which the hub never sent; that is the answer to calhub's own write, not an outside
 * edit. Before the fix the pull merged it without a base: a `latest-wins` conflict on `:organizer`
 * and webhooks that said writtenByCalhub: false.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { composeWebhooks } from '../../shared/store/index.ts';
import { etagOf, settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
type Msg = { type: string; payload: { data: Record<string, any> } };

let store: Store;
let seen = '0';

async function messages(tenantId: string): Promise<Msg[]> {
  await composeWebhooks(store.db, { now: new Date() });
  const rows = await store.db.query<Msg & { seq: string }>('SELECT seq::text AS seq, type, payload FROM webhook_messages WHERE seq > $1 AND tenant_id = $2 ORDER BY seq', [seen, tenantId]);
  const [last] = await store.db.query<{ m: string }>('SELECT COALESCE(max(seq), 0)::text AS m FROM webhook_messages');
  seen = last!.m;
  return rows;
}

const at = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const bob = { email: 'bob@example.com', name: null, response: 'needsAction' as const, optional: false, self: false };

/** Creates an event with attendees, loses the create's answer, and lets the next sync find it. */
async function lostCreate(env: ModelEnv, editMeanwhile: boolean, emptyAnswer?: MicrosoftEmulator): Promise<void> {
  const t = env.store.tenant(env.tenantId);
  const cal = env.calendars[0]!;
  await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  const created = await env.writer.create(env.tenantId, cal, { uid: '', title: 'Planning', start: at('2026-12-10T09:00:00Z'), end: at('2026-12-10T10:00:00Z'), attendees: [bob] });
  await messages(env.tenantId);

  if (emptyAnswer) {
    // The outside report's fault: Graph (or a gateway before it) answers the create 200 with no body.
    const logged = emptyAnswer.control.requests().length;
    emptyAnswer.control.injectFault({ status: 200, method: 'POST', pathPrefix: '/me/calendars', emptyBody: true });
    await assert.rejects(settle(env.deps, env.tenantId, [cal]), (e: { code?: string; reason?: string }) => e.code === 'CONNECTOR_TRANSIENT' && e.reason === 'create-answer-without-id');
    const asked = emptyAnswer.control.requests().slice(logged).map((r) => r.path);
    assert.ok(!asked.some((p) => p.includes('undefined')), `no request for an id the answer did not carry: ${asked.join(' ')}`);
  } else {
    env.driver.fault!('timeout-after-write');
    env.driver.arm!();
    await assert.rejects(settle(env.deps, env.tenantId, [cal]), 'the create is answered by a cut connection');
    env.driver.disarm!();
  }
  const remote = (await env.driver.list(0)).flatMap((o) => o.events).filter((e) => e.uid === created.event.uid);
  assert.equal(remote.length, 1, 'the provider stored the create');
  assert.ok(remote[0]!.organizer, 'and filled in the organizer');
  assert.equal((await t.ledger.byUid(cal, created.event.uid)).length, 0, 'the hub has no ledger entry for it');

  if (editMeanwhile) await env.writer.update(env.tenantId, created.id, { title: 'Planning (moved)' }, etagOf(created));
  const r = await settle(env.deps, env.tenantId, [cal]);
  assert.equal(r.conflicts, 0, 'the answer to calhub\'s own write is no conflict');
  assert.deepEqual((await t.conflicts.list()).map((c) => c.fields), [], 'none is recorded');
  const row = (await t.events.get(created.id))!;
  assert.ok(row.remoteId, 'the remote id is adopted');
  assert.equal(row.remoteId, remote[0]!.providerEventId);
  assert.ok(row.event.organizer, 'the organizer the provider filled in is stored');
  assert.equal(row.event.title, editMeanwhile ? 'Planning (moved)' : 'Planning');
  const [agreed] = await t.ledger.byUid(cal, created.event.uid);
  assert.ok(agreed, 'the ledger agrees on a version');
  assert.equal((await t.outbox.pending(cal)).length, 0, 'the outbox entry is settled');
  const now = (await env.driver.list(0)).flatMap((o) => o.events).filter((e) => e.uid === created.event.uid);
  assert.equal(now.length, 1, 'no duplicate at the provider');
  assert.equal(now[0]!.title, row.event.title);

  // The sync.failed and sync.recovered of the cut connection are about the calendar, not the event.
  const sent = (await messages(env.tenantId)).filter((m) => m.type.startsWith('event.'));
  assert.ok(sent.length > 0, 'the app is told the event exists at the provider');
  assert.deepEqual(sent.map((m) => m.payload.data.writtenByCalhub), sent.map(() => true), JSON.stringify(sent.map((m) => [m.type, m.payload.data.writtenByCalhub])));
  const again = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([again.applied, again.written, again.conflicts], [0, 0, 0], 'a second sync sees nothing');
  assert.deepEqual(await messages(env.tenantId), []);

  // The caller holds the version it wrote: the provider's answer, found late, is no reason for a 412.
  const held = editMeanwhile ? (await t.events.get(created.id))! : created;
  await env.writer.update(env.tenantId, created.id, { title: 'Planning (late)' }, etagOf(held));
  await settle(env.deps, env.tenantId, [cal]);
  assert.equal((await env.driver.list(0)).flatMap((o) => o.events).find((e) => e.uid === created.event.uid)!.title, 'Planning (late)');
}

describe('a create whose provider answer is lost', () => {
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
  });
  after(async () => {
    await store?.close();
    await google?.close();
    await ms?.close();
  });

  it('Google: the event found by UID is calhub\'s own', async () => lostCreate(await googleModelEnv(google, store), false));
  it('Google: edited in the hub before the next sync, the edit is written without a conflict', async () => lostCreate(await googleModelEnv(google, store), true));
  it('Microsoft Graph: the event found by UID is calhub\'s own', async () => lostCreate(await microsoftModelEnv(ms, store), false));
  it('Microsoft Graph: edited in the hub before the next sync, the edit is written without a conflict', async () => lostCreate(await microsoftModelEnv(ms, store), true));
  it('Microsoft Graph: a create answered 200 without a body is a connector error, and the retry finds the event', async () => lostCreate(await microsoftModelEnv(ms, store), false, ms));
});
