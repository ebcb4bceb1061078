/**
 * `rules delete` (DELETE /v1/rules/{id}) says how many of the rule's copies are gone from their
 * provider and how many are left. A copy whose delete the provider refused 3 times for its content
 * is parked and offered again after a wait; it is still at the provider, yet it was counted
 * removed (only deletes a push would take now counted as pending).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, it } from 'node:test';
import { MemoryBackend, MemoryConnector } from '../connectors/memory/index.ts';
import { UnsupportedError } from '../connectors/index.ts';
import { KeyRing } from '../oauth/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import { Store } from '../shared/store/index.ts';
import { settle } from '../sync-engine/index.ts';
import { sampleEvent } from '../sync-engine/test-support/memory-env.ts';
import { memoryPair, type MemoryPair } from '../test/support/memory-pair.ts';
import { openHub, type Hub } from './open-hub.ts';
import { createRule, deleteRule } from './rules.ts';

let store: Store;
let hub: Hub;
let backend: MemoryBackend;
let tenantId: string;
let dataDir: string;
let ids: MemoryPair;
/** remote ids whose delete the provider refuses, for their content. */
const refused = new Set<string>();

function refusing(c: MemoryConnector): MemoryConnector {
  return new Proxy(c, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (key === 'deleteObject' && refused.has(args[2] as string)) {
          // The source keeps changing meanwhile (someone books a meeting): each round of the sync
          // that sends the deletes has something new to pull, so it pushes the refused delete again.
          backend.put('src-cal', null, [sampleEvent({ title: 'booked meanwhile' })]);
          return Promise.reject(new UnsupportedError('the provider refuses to delete this item'));
        }
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

beforeEach(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
  backend = new MemoryBackend({ pageSize: 25 });
  const memory = refusing(new MemoryConnector(backend));
  dataDir = await mkdtemp(join(tmpdir(), 'rule-delete-parked-'));
  // No worker: the delete pushes the copies' deletes itself (hub.syncHere), as `calhub rules delete` without one.
  hub = await openHub({
    store, queue: 'if-worker', logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    config: { ...loadConfig({ CALHUB_DATA_DIR: dataDir }), redisUrl: null, redisClusterNodes: null },
    connect: async () => ({ connector: memory, ctx: { credentials: { kind: 'none' }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() } }),
  });
  assert.equal(hub.syncHere, true);
  ids = await memoryPair(store, backend, 'rule-delete-parked', 3);
  tenantId = ids.tenantId;
  await settle(hub.deps, tenantId, [ids.src, ids.dst]);
});

afterEach(async () => {
  refused.clear();
  await hub.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('a copy whose delete the provider refused until it was parked is counted left, not removed, with when it is offered again', async () => {
  const { rule } = await createRule(hub, tenantId, { sourceCalendarId: ids.src, targetCalendarId: ids.dst, config: { mode: 'busy-block' } });
  assert.equal(backend.list('dst-cal').length, 3, 'the copies reached the target calendar');
  const [first] = backend.list('dst-cal');
  refused.add(first!.remoteId);
  const r = await deleteRule(hub, tenantId, rule.id);
  const [row] = await store.db.query<{ attempts: number }>('SELECT attempts FROM outbox WHERE calendar_id = $1', [ids.dst]);
  assert.equal(row?.attempts, 3, 'refused 3 times by the sync the delete ran: parked, in its wait');
  assert.equal(backend.list('dst-cal').length, 1, 'the refused copy is still at the provider');
  assert.deepEqual([r.copiesRemoved, r.copiesPending], [2, 1]);
  const [left] = r.pending;
  assert.deepEqual([left?.calendarId, left?.copies, left?.parked], [ids.dst, 1, 1]);
  assert.ok(left!.retryAt && Date.parse(left!.retryAt) > Date.now() + 3_000_000, 'offered again an hour after the third refusal');
  assert.match(left!.reason, /refused .*3 times.*refuses to delete this item.*offered again from/);
});
