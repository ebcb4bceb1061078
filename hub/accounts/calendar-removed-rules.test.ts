/**
 * A calendar that goes — deleted through the API, or gone at the provider and removed by the
 * calendar-list reading — takes the mirror rules naming it the way a rule DELETE does: copies the
 * rules wrote into the other calendar are deleted there, in the store and at the provider. They
 * stayed as plain busy events, blocking time for good (source gone); copies in the calendar that
 * went need no delete (they went with it), and nothing keeps trying to write into it (target gone).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MemoryBackend, MemoryConnector } from '../../connectors/memory/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { sampleEvent } from '../../sync-engine/test-support/memory-env.ts';
import { openHub, type Hub } from '../open-hub.ts';
import { createRule } from '../rules.ts';
import { deleteCalendar } from './delete-calendar.ts';
import { refreshCalendarList } from './refresh-calendars.ts';

let store: Store;
let hub: Hub;
let backend: MemoryBackend;
let tenantId: string;
let accountId: string;
const ids = { src: '', dst: '' };

async function setup(twoWay: boolean): Promise<void> {
  store = await Store.open({ dataDir: null });
  await store.migrate();
  backend = new MemoryBackend({ pageSize: 25 });
  const connector = new MemoryConnector(backend);
  hub = await openHub({
    store, queue: 'none', logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    connect: async () => ({ connector, ctx: { credentials: { kind: 'none' }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() } }),
  });
  tenantId = (await store.tenants.create('calendar-removed-rules')).tenant.id;
  const t = store.tenant(tenantId);
  const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'lee@example.com' });
  accountId = acc.id;
  // One account holds all three, as one Radicale principal does; the first is the primary.
  for (const pid of ['home-cal', 'src-cal', 'dst-cal']) backend.addCalendar({ id: pid, name: pid });
  const cals = await t.calendars.upsertMany(acc.id, ['home-cal', 'src-cal', 'dst-cal'].map((pid) => ({ providerCalendarId: pid, name: pid, timeZone: 'UTC', color: null, readOnly: false })));
  ids.src = cals.find((c) => c.providerCalendarId === 'src-cal')!.id;
  ids.dst = cals.find((c) => c.providerCalendarId === 'dst-cal')!.id;
  for (let i = 0; i < 3; i++) backend.put('src-cal', null, [sampleEvent({ title: `meeting ${i}` })]);
  for (let i = 0; i < 2; i++) backend.put('dst-cal', null, [sampleEvent({ title: `own ${i}` })]);
  await settle(hub.deps, tenantId, [ids.src, ids.dst]);
  await createRule(hub, tenantId, { sourceCalendarId: ids.src, targetCalendarId: ids.dst, config: { mode: 'busy-block', twoWay } });
  await settle(hub.deps, tenantId, [ids.src, ids.dst]);
  assert.equal(backend.list('dst-cal').length, 5, 'three copies and two own events in the target');
  assert.equal(backend.list('src-cal').length, twoWay ? 5 : 3, twoWay ? 'two copies and three own events in the source' : 'the source holds its own');
}

/** The provider no longer lists the calendar: the first reading marks it missing, the next removes it. */
async function goneAtProvider(pid: string): Promise<void> {
  backend.removeCalendar(pid);
  const first = await refreshCalendarList(hub, tenantId, accountId, { goneAfterMs: 0 });
  assert.equal(first.missing.length, 1);
  const second = await refreshCalendarList(hub, tenantId, accountId, { goneAfterMs: 0 });
  assert.equal(second.removed.length, 1, 'removed by the second reading');
}

const titles = (pid: string) => backend.list(pid).map((o) => o.events[0]!.title).sort();

afterEach(async () => {
  await hub.close();
  await store.close();
});

describe('one-way rule', () => {
  beforeEach(() => setup(false));

  it('the source deleted through the API: its copies leave the target, in the store and at the provider', async () => {
    const r = await deleteCalendar(hub, tenantId, ids.src);
    assert.equal(r.mirrorRulesRemoved, 1);
    const t = store.tenant(tenantId);
    assert.deepEqual(await t.mirror.list(), []);
    await settle(hub.deps, tenantId, [ids.dst]);
    assert.deepEqual(titles('dst-cal'), ['own 0', 'own 1'], 'no copy left at the provider');
    assert.deepEqual((await t.events.list(ids.dst)).map((r) => r.event.title).sort(), ['own 0', 'own 1']);
  });

  it('the source gone at the provider: its copies leave the target once the calendar is removed', async () => {
    await goneAtProvider('src-cal');
    const t = store.tenant(tenantId);
    assert.deepEqual(await t.mirror.list(), []);
    await settle(hub.deps, tenantId, [ids.dst]);
    assert.deepEqual(titles('dst-cal'), ['own 0', 'own 1'], 'no copy left at the provider');
    assert.deepEqual((await t.events.list(ids.dst)).map((r) => r.event.title).sort(), ['own 0', 'own 1']);
  });

  it('the target deleted through the API: the rule goes, the source is untouched and syncs on', async () => {
    const r = await deleteCalendar(hub, tenantId, ids.dst);
    assert.equal(r.mirrorRulesRemoved, 1);
    assert.deepEqual(await store.tenant(tenantId).mirror.list(), []);
    assert.equal(backend.list('src-cal').length, 3);
    await settle(hub.deps, tenantId, [ids.src]);
    assert.equal(backend.list('src-cal').length, 3);
  });

  it('the target gone at the provider: the rule goes, the source is untouched and syncs on', async () => {
    await goneAtProvider('dst-cal');
    assert.deepEqual(await store.tenant(tenantId).mirror.list(), []);
    await settle(hub.deps, tenantId, [ids.src]);
    assert.equal(backend.list('src-cal').length, 3);
  });
});

describe('two-way rule', () => {
  beforeEach(() => setup(true));

  it("the source deleted through the API: the copies of its events leave the target", async () => {
    await deleteCalendar(hub, tenantId, ids.src);
    assert.deepEqual(await store.tenant(tenantId).mirror.list(), []);
    await settle(hub.deps, tenantId, [ids.dst]);
    assert.deepEqual(titles('dst-cal'), ['own 0', 'own 1']);
  });

  it("the target gone at the provider: the copies of its events leave the source", async () => {
    await goneAtProvider('dst-cal');
    assert.deepEqual(await store.tenant(tenantId).mirror.list(), []);
    await settle(hub.deps, tenantId, [ids.src]);
    assert.deepEqual(titles('src-cal'), ['meeting 0', 'meeting 1', 'meeting 2']);
    assert.deepEqual((await store.tenant(tenantId).events.list(ids.src)).map((r) => r.event.title).sort(), ['meeting 0', 'meeting 1', 'meeting 2']);
  });
});
