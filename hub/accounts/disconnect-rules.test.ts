/**
 * Disconnecting an account takes its mirror rules the way a rule DELETE does: the copies they wrote
 * go too. They stayed as plain busy events, blocking another user's time for good (source gone),
 * or in the disconnected user's own calendar at the provider (target gone).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, it } from 'node:test';
import { MemoryBackend, MemoryConnector } from '../../connectors/memory/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { sampleEvent } from '../../sync-engine/test-support/memory-env.ts';
import { openHub, type Hub } from '../open-hub.ts';
import { createRule } from '../rules.ts';
import { disconnectAccount } from './disconnect.ts';

let store: Store;
let hub: Hub;
let backend: MemoryBackend;
let tenantId: string;
const ids = { src: '', dst: '', srcAccount: '', dstAccount: '' };
/** Account ids the hub asked a connector for, in order. */
let connected: string[] = [];

beforeEach(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
  backend = new MemoryBackend({ pageSize: 25 });
  const connector = new MemoryConnector(backend);
  hub = await openHub({
    store, queue: 'none', logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    connect: async (account) => (connected.push(account.id), { connector, ctx: { credentials: { kind: 'none' }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() } }),
  });
  tenantId = (await store.tenants.create('disconnect-rules')).tenant.id;
  const t = store.tenant(tenantId);
  for (const who of ['src', 'dst'] as const) {
    const pid = backend.addCalendar({ id: `${who}-cal`, name: who });
    const acc = await t.accounts.upsert({ provider: 'memory', externalId: `${who}@example.com` });
    const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: pid, name: who, timeZone: 'UTC', color: null, readOnly: false }]);
    ids[who] = cal!.id;
    ids[`${who}Account`] = acc.id;
  }
  for (let i = 0; i < 3; i++) backend.put('src-cal', null, [sampleEvent({ title: `meeting ${i}` })]);
  await settle(hub.deps, tenantId, [ids.src, ids.dst]);
  await createRule(hub, tenantId, { sourceCalendarId: ids.src, targetCalendarId: ids.dst, config: { mode: 'busy-block' } });
  await settle(hub.deps, tenantId, [ids.dst]);
  assert.equal(backend.list('dst-cal').length, 3, 'the copies reached the target calendar');
  connected = [];
});
afterEach(async () => {
  await hub.close();
  await store.close();
});

it("the source's account disconnected: its copies leave the other user's calendar, in the store and at the provider", async () => {
  await disconnectAccount(hub, tenantId, ids.srcAccount);
  assert.deepEqual(await store.tenant(tenantId).mirror.list(), []);
  assert.deepEqual(await store.tenant(tenantId).events.list(ids.dst), []);
  await settle(hub.deps, tenantId, [ids.dst]);
  assert.equal(backend.list('dst-cal').length, 0, 'no copy left at the provider');
});

it("the target's account disconnected: the copies are deleted from its own calendar at the provider first", async () => {
  await disconnectAccount(hub, tenantId, ids.dstAccount);
  assert.equal(backend.list('dst-cal').length, 0);
  assert.equal(backend.list('src-cal').length, 3, 'the source is untouched');
});

it("the source's account disconnected: its own calendar holds no copies, so it is not synced on the way out", async () => {
  await disconnectAccount(hub, tenantId, ids.srcAccount);
  assert.deepEqual(connected.filter((id) => id === ids.srcAccount), [], 'no run of the source account');
});

it("the source's account disconnected with 12 copies in a 7-event calendar: the target's next pull meets calhub's own deletes, not a mass change", async () => {
  for (let i = 3; i < 12; i++) backend.put('src-cal', null, [sampleEvent({ title: `meeting ${i}` })]);
  for (let i = 0; i < 7; i++) backend.put('dst-cal', null, [sampleEvent({ title: `own ${i}` })]);
  await settle(hub.deps, tenantId, [ids.src]);
  await settle(hub.deps, tenantId, [ids.dst]);
  assert.equal(backend.list('dst-cal').length, 19, '12 copies and 7 own events at the provider');
  await disconnectAccount(hub, tenantId, ids.srcAccount);
  const t = store.tenant(tenantId);
  await settle(hub.deps, tenantId, [ids.dst]).catch(() => undefined);
  assert.equal((await t.sync.settings(ids.dst))?.flaggedReason, null, 'the guard let calhub\'s own deletes through');
  assert.equal(backend.list('dst-cal').length, 7, 'the copies were deleted at the provider');
  assert.equal((await t.events.list(ids.dst)).length, 7);
});
