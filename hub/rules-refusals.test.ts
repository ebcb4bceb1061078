/**
 * A mirror rule whose copies the target's provider refuses says so: GET /v1/rules/{id} and calhub
 * rules list/show read `refusals` (how many copies, the stable code, how often, since when), and it
 * clears once the copies' writes get through. Before, the refusal was only in the target's outbox
 * (or a conflict recorded once), and the rule read as fine while every run asked again.
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
import { memoryPair, type MemoryPair } from '../test/support/memory-pair.ts';
import { openHub, type Hub } from './open-hub.ts';
import { createRule, getRule, listRules } from './rules.ts';
import { deploymentStatus } from './status.ts';
import { refusalsLine } from '../cli/commands/status.ts';

let store: Store;
let hub: Hub;
let backend: MemoryBackend;
let tenantId: string;
let ids: MemoryPair;
/** The target's provider refuses every write while this is set. */
let refusing = false;
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rule-refusals-'));
  store = await Store.open({ dataDir: null });
  await store.migrate();
  backend = new MemoryBackend({ pageSize: 25 });
  const memory = new MemoryConnector(backend);
  hub = await openHub({
    // No Redis: the rule's passes, pulls and pushes run in this process (hub.syncHere), as in `calhub rules create` without a worker.
    store, queue: 'if-worker', config: { ...loadConfig({ CALHUB_DATA_DIR: dataDir }), redisUrl: null, redisClusterNodes: null }, logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    connect: async (account) => ({ connector: account.id === ids.dstAccount ? refusingWrites(memory) : memory, ctx: { credentials: { kind: 'none' }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() } }),
  });
  ids = await memoryPair(store, backend, 'rule-refusals', 2);
  tenantId = ids.tenantId;
  await settle(hub.deps, tenantId, [ids.src, ids.dst]);
  refusing = false;
});

function refusingWrites(c: MemoryConnector): MemoryConnector {
  return new Proxy(c, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (refusing && (key === 'putObject' || key === 'deleteObject')) return Promise.reject(new UnsupportedError('the calendar takes no events from this app'));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

afterEach(async () => {
  await hub.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('copies the target refuses are counted on the rule with their code, in the list too, and cleared once written', async () => {
  refusing = true;
  const { rule, problems } = await createRule(hub, tenantId, { sourceCalendarId: ids.src, targetCalendarId: ids.dst, config: { mode: 'busy-block' } });
  assert.equal(backend.list('dst-cal').length, 0, 'nothing reached the target');
  assert.ok(problems.some((p) => p.calendarId === ids.dst), 'the create names the target as a problem');
  assert.deepEqual(rule.refusals.map((r) => r.code), ['CONNECTOR_UNSUPPORTED'], "the create's answer has them too");
  const shown = await getRule(hub, tenantId, rule.id);
  assert.deepEqual(shown.refusals.map((r) => ({ code: r.code, calendarId: r.calendarId, copies: r.copies })), [{ code: 'CONNECTOR_UNSUPPORTED', calendarId: ids.dst, copies: 2 }]);
  // Each push asked again and was refused again (the create's sync pushes until nothing changes).
  assert.ok(shown.refusals[0]!.times >= 2, `times: ${shown.refusals[0]!.times}`);
  assert.match(shown.refusals[0]!.message, /takes no events/);
  assert.deepEqual((await listRules(hub, tenantId))[0]!.refusals, shown.refusals, 'the list reads the same');
  // `calhub status` counts them for the whole deployment and says where to look.
  const status = await deploymentStatus(hub);
  assert.deepEqual(status.refusedCopies, { rules: 1, copies: 2, tenants: 1, byTenant: [{ tenantId, rules: 1, copies: 2 }] });
  assert.equal(refusalsLine(status.refusedCopies, status.tenantNames), `Rules with refused copies: 1 rule(s), 2 copies refused (tenant ${tenantId} (rule-refusals): 1 rule(s), 2 copies): calhub rules list --tenant <id> says which and why`);

  refusing = false;
  await settle(hub.deps, tenantId, [ids.dst]);
  assert.equal(backend.list('dst-cal').length, 2, 'the copies got through');
  assert.deepEqual((await getRule(hub, tenantId, rule.id)).refusals, [], 'and the rule no longer says they are refused');
  assert.deepEqual((await deploymentStatus(hub)).refusedCopies, { rules: 0, copies: 0, tenants: 0, byTenant: [] });
});

it("a refused delete of a copy whose source went is still the rule's", async () => {
  const { rule } = await createRule(hub, tenantId, { sourceCalendarId: ids.src, targetCalendarId: ids.dst, config: { mode: 'busy-block' } });
  assert.equal(backend.list('dst-cal').length, 2);
  const [gone] = backend.list('src-cal');
  backend.delete('src-cal', gone!.remoteId);
  refusing = true;
  await settle(hub.deps, tenantId, [ids.src, ids.dst]);
  assert.deepEqual((await getRule(hub, tenantId, rule.id)).refusals.map((r) => [r.code, r.copies]), [['CONNECTOR_UNSUPPORTED', 1]]);
  refusing = false;
  await settle(hub.deps, tenantId, [ids.dst]);
  assert.equal(backend.list('dst-cal').length, 1);
  assert.deepEqual((await getRule(hub, tenantId, rule.id)).refusals, []);
});
