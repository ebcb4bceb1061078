/**
 * A settled run of a rule copying a series as singles reads the copies a few at a time, not one
 * query per single: runs follow every change in the source calendar, and a series of 750 singles
 * cost 750 store queries a run that wrote nothing. Counts queries, never times them.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { MemoryConnector } from '../connectors/memory/index.ts';
import { createMicrosoftConnector } from '../connectors/microsoft/index.ts';
import { parseEvent } from '../shared/model/index.ts';
import { Store } from '../shared/store/index.ts';
import type { EngineDeps } from './deps.ts';
import { reconcileRule } from './mirror.ts';
import { settle } from './settle.ts';
import { memoryEnv, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
let store: Store;
afterEach(async () => {
  await env?.close();
  await store?.close();
});

const graph = createMicrosoftConnector({});

it('a settled run of a series copied as singles reads a bounded number of queries, not one per single', async () => {
  store = await Store.open({ dataDir: null, now: () => new Date('2027-03-10T12:00:00Z'), horizon: { pastDays: 30, futureDays: 60 } });
  env = await memoryEnv({ calendars: 2, store });
  const caps = new MemoryConnector(env.backend).capabilities;
  const deps: EngineDeps = { ...env.deps, capabilities: async () => caps, cannotHold: async () => graph.cannotHold!.bind(graph) };
  const [a, b] = [env.calendars[0]!, env.calendars[1]!];
  const t = store.tenant(env.tenantId);
  const rule = (await t.mirror.create(a, b, { mode: 'busy-block' }))!;
  // BYHOUR: Graph has no pattern for two times a day; about 59 days of two a day.
  const master = parseEvent({
    uid: 'src@test',
    title: 'Standup',
    start: { dateTime: '2027-03-01T09:00:00Z', timeZone: 'UTC' },
    end: { dateTime: '2027-03-01T09:30:00Z', timeZone: 'UTC' },
    recurrence: { rrules: ['FREQ=DAILY;BYHOUR=9,15'], exdates: [], rdates: [] },
  });
  env.backend.put(env.providerIds[0]!, null, [master]);
  await settle(deps, env.tenantId, [a, b]);
  const made = env.backend.list(env.providerIds[1]!).length;
  assert.ok(made > 100, `singles written: ${made}`);

  const db = store.db;
  const query = db.query.bind(db);
  let queries = 0;
  db.query = (async (...args: Parameters<typeof db.query>) => {
    queries += 1;
    return query(...args);
  }) as typeof db.query;
  const seq = env.backend.seq;
  const run = await reconcileRule(deps, env.tenantId, rule.id);
  assert.deepEqual(run, { written: 0, updated: 0, removed: 0 }, 'settled');
  assert.equal(env.backend.seq, seq);
  // The rule, its state, links, source rows, refusals, calendars and the run's record: a fixed few.
  assert.ok(queries <= 30, `${queries} queries for a settled run of ${made} singles`);
});
