/**
 * Disconnecting an account takes its mirror rules the way a rule DELETE does: the copies they wrote
 * go too. They stayed as plain busy events, blocking another user's time for good (source gone),
 * or in the disconnected user's own calendar at the provider (target gone).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, it } from 'node:test';
import { MemoryBackend, MemoryConnector } from '../../connectors/memory/index.ts';
import { UnsupportedError } from '../../connectors/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { claimRun, reconcileRule, settle } from '../../sync-engine/index.ts';
import { sampleEvent } from '../../sync-engine/test-support/memory-env.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { memoryPair, type MemoryPair } from '../../test/support/memory-pair.ts';
import { openHub, type Hub } from '../open-hub.ts';
import { createRule } from '../rules.ts';
import { disconnectAccount } from './disconnect.ts';
import { listPendingWrites } from '../pending-writes.ts';
import { accountsDisconnect } from '../../cli/commands/accounts.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { hostedRun } from '../../cli/hosted.ts';

let store: Store;
let hub: Hub;
let backend: MemoryBackend;
let tenantId: string;
let ids: MemoryPair;
/** Account ids the hub asked a connector for, in order. */
let connected: string[] = [];
/** Connector calls, as `method account`. */
let calls: string[] = [];
/** remote ids whose delete the provider refuses for good. */
let refused = new Set<string>();
let hubOptions: Parameters<typeof openHub>[0];

beforeEach(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
  backend = new MemoryBackend({ pageSize: 25 });
  const memory = new MemoryConnector(backend);
  hubOptions = {
    store, queue: 'none', logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    connect: async (account) => (connected.push(account.id), { connector: recorded(memory, account.id), ctx: { credentials: { kind: 'none' }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() } }),
  };
  hub = await openHub(hubOptions);
  ids = await memoryPair(store, backend, 'disconnect-rules', 3);
  tenantId = ids.tenantId;
  await settle(hub.deps, tenantId, [ids.src, ids.dst]);
  await createRule(hub, tenantId, { sourceCalendarId: ids.src, targetCalendarId: ids.dst, config: { mode: 'busy-block' } });
  await settle(hub.deps, tenantId, [ids.dst]);
  assert.equal(backend.list('dst-cal').length, 3, 'the copies reached the target calendar');
  connected = [];
  calls = [];
  refused = new Set();
});

function recorded(c: MemoryConnector, accountId: string): MemoryConnector {
  return new Proxy(c, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push(`${String(key)} ${accountId}`);
        if (key === 'deleteObject' && refused.has(args[2] as string)) return Promise.reject(new UnsupportedError('the provider refuses to delete this item'));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
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

it("the target's account disconnected: the copies are deleted by their stored ids, without listing its calendar, and the answer counts them", async () => {
  const r = await disconnectAccount(hub, tenantId, ids.dstAccount);
  assert.equal(backend.list('dst-cal').length, 0);
  assert.deepEqual(calls.filter((c) => c.endsWith(ids.dstAccount)).map((c) => c.split(' ')[0]), ['deleteObject', 'deleteObject', 'deleteObject']);
  assert.deepEqual({ deleted: r.copiesDeleted, left: r.copiesLeft, elsewhere: r.copiesElsewhere }, { deleted: 3, left: [], elsewhere: 0 });
});

it("the target's account disconnected: a copy the provider refuses is listed with its reason, the others are deleted", async () => {
  const [first] = backend.list('dst-cal');
  refused.add(first!.remoteId);
  const progress: Array<{ deleted: number; failed: number; done: boolean }> = [];
  const r = await disconnectAccount(hub, tenantId, ids.dstAccount, { onProgress: (p) => progress.push({ deleted: p.deleted, failed: p.failed, done: p.done }) });
  assert.equal(r.copiesDeleted, 2);
  assert.equal(r.copiesLeft.length, 1);
  assert.equal(r.copiesLeft[0]!.remoteId, first!.remoteId);
  assert.match(r.copiesLeft[0]!.error, /CONNECTOR_UNSUPPORTED.*refuses/);
  assert.equal(backend.list('dst-cal').length, 1, 'only the refused copy stays');
  assert.deepEqual(progress.at(-1), { deleted: 2, failed: 1, done: true });
});

it("the target's account disconnected while a run holds its calendar: the run's copy is still found and deleted once the run ends", async () => {
  const t = store.tenant(tenantId);
  backend.put('src-cal', null, [sampleEvent({ title: 'late meeting' })]);
  await settle(hub.deps, tenantId, [ids.src]);
  // A run is pushing the new copy: its create reached the provider, its answer is not stored yet.
  const run = await claimRun(store, tenantId, ids.dst, { owner: 'other-run' });
  assert.ok(run);
  const [rule] = await t.mirror.list();
  await reconcileRule(hub.deps, tenantId, rule!.id);
  const pending = (await t.events.list(ids.dst)).find((e) => e.remoteId === null);
  assert.ok(pending, 'the new copy is stored, not yet pushed');
  backend.put('dst-cal', null, [{ ...pending.event, providerEventId: null }]);
  setTimeout(() => void run.release(), 300);
  const r = await disconnectAccount(hub, tenantId, ids.dstAccount);
  assert.equal(backend.list('dst-cal').length, 0, 'no copy left at the provider');
  assert.deepEqual(r.copiesLeft, []);
  assert.equal(r.copiesDeleted, 4);
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

it("without a worker, a delete of a copy in another user's calendar that its provider refuses is in the answer, not only in the log", async () => {
  // No Redis: the disconnect pushes the other calendars' deletes itself (hub.syncHere), as `calhub accounts disconnect` without a worker.
  const dataDir = await mkdtemp(join(tmpdir(), 'disconnect-here-'));
  const here = await openHub({ ...hubOptions, queue: 'if-worker', config: { ...loadConfig({ CALHUB_DATA_DIR: dataDir }), redisUrl: null, redisClusterNodes: null } });
  try {
    assert.equal(here.syncHere, true);
    const [first] = backend.list('dst-cal');
    refused.add(first!.remoteId);
    const r = await disconnectAccount(here, tenantId, ids.srcAccount);
    assert.equal(r.copiesElsewhere, 3);
    assert.deepEqual(r.copiesElsewhereLeft.map((c) => [c.calendarId, c.copies]), [[ids.dst, 1]]);
    assert.match(r.copiesElsewhereLeft[0]!.error, /refuse/);
    assert.equal(backend.list('dst-cal').length, 1, 'the refused copy is still at the provider');
    refused = new Set();
    await settle(hub.deps, tenantId, [ids.dst]);
    assert.equal(backend.list('dst-cal').length, 0, "the calendar's next sync sends it");
  } finally {
    await here.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('without a worker, every delete of a copy elsewhere sent: nothing left', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'disconnect-here-'));
  const here = await openHub({ ...hubOptions, queue: 'if-worker', config: { ...loadConfig({ CALHUB_DATA_DIR: dataDir }), redisUrl: null, redisClusterNodes: null } });
  try {
    const r = await disconnectAccount(here, tenantId, ids.srcAccount);
    assert.deepEqual({ elsewhere: r.copiesElsewhere, left: r.copiesElsewhereLeft }, { elsewhere: 3, left: [] });
    assert.equal(backend.list('dst-cal').length, 0);
  } finally {
    await here.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

it("a copy's delete the provider refused 3 times for its content is not parked for good: it is offered again once its wait is over", async () => {
  const t = store.tenant(tenantId);
  const [first] = backend.list('dst-cal');
  refused.add(first!.remoteId);
  await disconnectAccount(hub, tenantId, ids.srcAccount);
  for (let i = 0; i < 3; i++) await settle(hub.deps, tenantId, [ids.dst]);
  assert.deepEqual(await t.outbox.pending(ids.dst), [], 'refused three times: parked');
  const [parked] = await listPendingWrites(hub, tenantId, ids.dst);
  assert.deepEqual([parked?.op, parked?.state, parked?.refusals], ['delete', 'parked', 3]);
  assert.ok(parked!.nextTryAt && Date.parse(parked!.nextTryAt) > Date.now() + 3_000_000, 'the writes say when it is offered again (an hour on)');
  refused = new Set();
  await settle(hub.deps, tenantId, [ids.dst]);
  assert.equal(backend.list('dst-cal').length, 1, 'not offered again at once: the wait after the third refusal is not over');
  // The wait (an hour after the third refusal) is over.
  await store.db.query("UPDATE outbox SET refused_at = refused_at - interval '61 minutes' WHERE calendar_id = $1", [ids.dst]);
  await settle(hub.deps, tenantId, [ids.dst]);
  assert.equal(backend.list('dst-cal').length, 0, 'the copy is deleted at the provider');
  assert.deepEqual(await store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [ids.dst]), []);
});

it('calhub accounts disconnect without a worker: a copy elsewhere whose delete the provider refused exits 1 with COPIES_ELSEWHERE_LEFT on stderr', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'disconnect-cli-'));
  const here = await openHub({ ...hubOptions, queue: 'if-worker', config: { ...loadConfig({ CALHUB_DATA_DIR: dataDir }), redisUrl: null, redisClusterNodes: null } });
  try {
    const [first] = backend.list('dst-cal');
    refused.add(first!.remoteId);
    const out = { stdout: '', stderr: '' };
    // As `calhub start` runs a command process's command: on this hub, its output captured.
    const code = await hostedRun({ hub: here, write: (stream, text) => void (out[stream] += text) }, () =>
      accountsDisconnect.run({ values: { json: true, tenant: tenantId }, positionals: [ids.srcAccount] } as never),
    );
    assert.equal(code, EXIT.FAILED);
    assert.equal(JSON.parse(out.stdout).copiesElsewhereLeft[0].calendarId, ids.dst);
    const error = JSON.parse(out.stderr.trim().split('\n').at(-1)!).error;
    assert.deepEqual([error.code, error.exitCode], ['COPIES_ELSEWHERE_LEFT', 1]);
    assert.match(error.message, new RegExp(`^1 mirror copy\\(ies\\) .*calendar ${ids.dst}, 1 waiting: .*refuse.*calhub calendars writes ${ids.dst}`));
  } finally {
    await here.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
