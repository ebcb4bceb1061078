/**
 * A rule's runs copying a series its target cannot hold as singles: the memory provider stands for
 * the target's store and writes, Microsoft Graph's own check (connectors/microsoft cannotHold)
 * says what it cannot hold, and the store's clock moves the window.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MemoryConnector } from '../connectors/memory/index.ts';
import { createMicrosoftConnector } from '../connectors/microsoft/index.ts';
import { parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { Store } from '../shared/store/index.ts';
import type { EngineDeps } from './deps.ts';
import { deleteRule } from './mirror.ts';
import { settle } from './settle.ts';
import { memoryEnv, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
let store: Store;
afterEach(async () => {
  await env?.close();
  await store?.close();
});

const graph = createMicrosoftConnector({});
const at = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const series = (rrule: string, start: string, over: Partial<CanonicalEvent> = {}) =>
  parseEvent({ uid: 'src@test', title: 'Standup', start: at(start), end: at(new Date(Date.parse(start) + 1_800_000).toISOString()), recurrence: { rrules: [rrule], exdates: [], rdates: [] }, ...over });

async function setUp(now: () => Date): Promise<{ deps: EngineDeps; a: string; b: string }> {
  store = await Store.open({ dataDir: null, now, horizon: { pastDays: 30, futureDays: 30 } });
  env = await memoryEnv({ calendars: 2, store });
  const caps = new MemoryConnector(env.backend).capabilities;
  const deps: EngineDeps = { ...env.deps, capabilities: async () => caps, cannotHold: async () => graph.cannotHold!.bind(graph) };
  return { deps, a: env.calendars[0]!, b: env.calendars[1]! };
}
const singles = () => env.backend.list(env.providerIds[1]!).flatMap((o) => o.events).map((e) => {
  assert.equal(e.recurrence, null, 'a single event');
  return 'dateTime' in e.start ? e.start.dateTime.slice(0, 16) : '';
}).sort();

describe('a mirror run writes a series its target cannot hold as single events', () => {
  it('from yesterday to the horizon; settles; the window moving on adds occurrences and keeps passed ones; follows cancellations; goes with the rule', async () => {
    let clock = new Date('2027-03-10T12:00:00Z');
    const { deps, a, b } = await setUp(() => clock);
    const t = store.tenant(env.tenantId);
    const rule = (await t.mirror.create(a, b, { mode: 'busy-block' }))!;
    // BYHOUR: Graph has no pattern for two times a day.
    const master = series('FREQ=DAILY;BYHOUR=9,15', '2027-03-01T09:00:00Z');
    env.backend.put(env.providerIds[0]!, null, [master]);
    await settle(deps, env.tenantId, [a, b]);
    // Yesterday (9 Mar) to the busy coverage's end (10 Mar + 30 days - 2 days = 7 Apr, exclusive).
    const first = singles();
    assert.equal(first.length, 29 * 2);
    assert.equal(first[0], '2027-03-09T09:00');
    assert.equal(first.at(-1), '2027-04-06T15:00');
    assert.deepEqual((await t.refusals.byRule([rule.id])).get(rule.id) ?? [], []);
    assert.ok(env.backend.list(env.providerIds[1]!).flatMap((o) => o.events).every((e) => e.title === 'Busy' && e.provenance?.ruleId === rule.id));

    let seq = env.backend.seq;
    await settle(deps, env.tenantId, [a, b], { full: true });
    assert.equal(env.backend.seq, seq, 'a settled rule writes nothing');

    // Three days on: 9-11 Mar have passed out of the window and stay; 7-9 Apr come.
    clock = new Date('2027-03-13T12:00:00Z');
    seq = env.backend.seq;
    await settle(deps, env.tenantId, [a, b], { full: true });
    const later = singles();
    assert.equal(env.backend.seq - seq, 6, 'only the new occurrences are written');
    assert.equal(later.length, 32 * 2);
    assert.equal(later[0], '2027-03-09T09:00');
    assert.equal(later.at(-1), '2027-04-09T15:00');

    // An instance cancelled at the source loses its single.
    const src = env.backend.list(env.providerIds[0]!)[0]!;
    const cancelled = { ...master, originalStart: at('2027-03-20T15:00:00Z'), start: at('2027-03-20T15:00:00Z'), end: at('2027-03-20T15:30:00Z'), recurrence: null, status: 'cancelled' as const };
    env.backend.put(env.providerIds[0]!, src.remoteId, [...src.events, cancelled]);
    await settle(deps, env.tenantId, [a, b]);
    assert.deepEqual(singles(), later.filter((s) => s !== '2027-03-20T15:00'));

    await deleteRule(deps, env.tenantId, rule.id);
    await settle(deps, env.tenantId, [a, b]);
    assert.deepEqual(singles(), [], 'the singles, passed ones too, go with their rule');
  });

  it('writes at most its cap of singles of a series (the earliest) and says so on the rule until the series fits', async () => {
    const setup = await setUp(() => new Date('2027-03-10T12:00:00Z'));
    // A cap of 40 here (MAX_SINGLES, 750, is the default): the same path, without writing 750 copies.
    const MAX_SINGLES = 40;
    const { a, b } = setup;
    const deps = { ...setup.deps, singlesCap: MAX_SINGLES };
    const t = store.tenant(env.tenantId);
    const rule = (await t.mirror.create(a, b, { mode: 'busy-block' }))!;
    // Every 30 minutes, 28 days: 1,344 occurrences in the window.
    env.backend.put(env.providerIds[0]!, null, [series('FREQ=MINUTELY;INTERVAL=30', '2027-03-10T00:00:00Z', { end: at('2027-03-10T00:10:00Z') })]);
    await settle(deps, env.tenantId, [a, b]);
    const made = singles();
    assert.equal(made.length, MAX_SINGLES);
    assert.equal(made.at(-1), new Date(Date.parse('2027-03-10T00:00:00Z') + (MAX_SINGLES - 1) * 1_800_000).toISOString().slice(0, 16));
    const [capped] = (await t.refusals.byRule([rule.id])).get(rule.id) ?? [];
    assert.equal(capped?.code, 'COPY_SINGLES_CAPPED');
    assert.match(capped!.message, new RegExp(`the first ${MAX_SINGLES} from yesterday on; those from ${new Date(Date.parse('2027-03-10T00:00:00Z') + MAX_SINGLES * 1_800_000).toISOString()} on are not copied`));

    const seq = env.backend.seq;
    await settle(deps, env.tenantId, [a, b], { full: true });
    assert.equal(env.backend.seq, seq, 'a settled capped rule writes nothing');
    assert.equal((await t.refusals.byRule([rule.id])).get(rule.id)?.[0]?.times, 1, 'the cap is noted once, not on every run');

    const src = env.backend.list(env.providerIds[0]!)[0]!;
    env.backend.put(env.providerIds[0]!, src.remoteId, [{ ...src.events[0]!, recurrence: { rrules: ['FREQ=MINUTELY;INTERVAL=30;COUNT=10'], exdates: [], rdates: [] } }]);
    await settle(deps, env.tenantId, [a, b]);
    assert.equal(singles().length, 10);
    assert.deepEqual((await t.refusals.byRule([rule.id])).get(rule.id) ?? [], [], 'the cap note goes once the series fits');
  });
});
