import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MemoryConnector } from '../connectors/memory/index.ts';
import type { ConnectorCapabilities } from '../connectors/index.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

// Issue 18: the same write rules for API writes and mirror copies (shared/model/validate.ts).
describe('mirror copies follow the write rules', () => {
  it('a source it cannot honour is skipped, the others are copied', async () => {
    env = await memoryEnv({ calendars: 2 });
    const [a, b] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    await t.mirror.create(a!, b!, { mode: 'full-copy' });
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'huge', recurrence: { rrules: ['FREQ=DAILY;COUNT=1000000000'], exdates: [], rdates: [] } })]);
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'fine' })]);
    const r = await settle(env.deps, env.tenantId, [a!, b!], { isolate: true });
    assert.equal(r.failures.size, 0, [...r.failures.values()].map(String).join());
    const copied = env.backend.list(env.providerIds[1]!).flatMap((o) => o.events.map((e) => e.title));
    assert.deepEqual(copied, ['fine']);
  });

  it('a target account connected without write access gets no copies until it can write again', async () => {
    env = await memoryEnv({ calendars: 2 });
    const [a, b] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    await env.store.db.query(`UPDATE accounts SET access = 'freebusy'`);
    await t.mirror.create(a!, b!, { mode: 'full-copy' });
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'private talk' })]);
    await settle(env.deps, env.tenantId, [a!, b!], { isolate: true });
    // It wrote titled copies into the freebusy calendar's store, each then parked at push.
    assert.deepEqual((await t.events.list(b!)).map((e) => e.event.title), []);
    assert.equal(await t.outbox.any(b!), false);
    await env.store.db.query(`UPDATE accounts SET access = 'readwrite'`);
    await settle(env.deps, env.tenantId, [a!, b!], { isolate: true });
    assert.deepEqual(env.backend.list(env.providerIds[1]!).flatMap((o) => o.events.map((e) => e.title)), ['private talk']);
  });
});

// A busy block carries how busy its source is (tentative, out of office, working elsewhere) where
// the target's provider holds that status, so availability with freeStatuses reads the copy as it
// reads the source; where it cannot (Google: busy or free only), it is held as a full copy is:
// tentative and out of office busy, working elsewhere (which takes no time) free.
describe('busy blocks carry the source\'s busy status', () => {
  const googleLike = (caps: ConnectorCapabilities): ConnectorCapabilities => ({ ...caps, availabilityHeldAs: { tentative: 'busy', oof: 'busy', workingElsewhere: 'free' } });
  const sources = () => [
    sampleEvent({ title: 'maybe', status: 'tentative' }),
    sampleEvent({ title: 'hold', availability: 'tentative' }),
    sampleEvent({ title: 'away', availability: 'oof' }),
    sampleEvent({ title: 'elsewhere', availability: 'workingElsewhere' }),
    sampleEvent({ title: 'plain' }),
    sampleEvent({ title: 'focus', availability: 'free' }),
  ];
  const copies = (e: MemoryEnv) =>
    e.backend
      .list(e.providerIds[1]!)
      .flatMap((o) => o.events)
      .map((c) => `${'dateTime' in c.start ? c.start.dateTime.slice(8, 13) : ''} ${c.availability}`)
      .sort();

  it('onto a target that holds every status; repeat runs write nothing', async () => {
    env = await memoryEnv({ calendars: 2 });
    const [a, b] = env.calendars;
    await env.store.tenant(env.tenantId).mirror.create(a!, b!, { mode: 'busy-block' });
    const src = sources();
    for (const e of src) env.backend.put(env.providerIds[0]!, null, [e]);
    await settle(env.deps, env.tenantId, [a!, b!]);
    const at = (e: CanonicalEvent) => ('dateTime' in e.start ? e.start.dateTime.slice(8, 13) : '');
    // A free source blocks no time, so it has no busy block (skipFree, the default, drops it too).
    assert.deepEqual(copies(env), [`${at(src[0]!)} tentative`, `${at(src[1]!)} tentative`, `${at(src[2]!)} oof`, `${at(src[3]!)} workingElsewhere`, `${at(src[4]!)} busy`].sort());
    // The target's busy index (what free/busy and availability read) holds the copies' statuses.
    const spans = await env.store.tenant(env.tenantId).busy([b!], new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    assert.deepEqual([...new Set(spans.map((x) => x.status))].sort(), ['busy', 'oof', 'tentative', 'workingElsewhere']);
    const seq = env.backend.seq;
    await settle(env.deps, env.tenantId, [a!, b!]);
    assert.equal(env.backend.seq, seq, 'repeated syncs wrote to the provider');
  });

  it('held as the target can hold it (working elsewhere free, the rest busy); copies held otherwise converge in one rewrite', async () => {
    env = await memoryEnv({ calendars: 2 });
    const [a, b] = env.calendars;
    const caps = new MemoryConnector(env.backend).capabilities;
    let held = googleLike(caps);
    const deps = { ...env.deps, capabilities: async () => held };
    await env.store.tenant(env.tenantId).mirror.create(a!, b!, { mode: 'busy-block' });
    const src = sources();
    for (const e of src) env.backend.put(env.providerIds[0]!, null, [e]);
    await settle(deps, env.tenantId, [a!, b!]);
    const at = (e: CanonicalEvent) => ('dateTime' in e.start ? e.start.dateTime.slice(8, 13) : '');
    // Working elsewhere takes no time (busy policy): its block is free there, as on CalDAV (TRANSPARENT).
    assert.deepEqual(copies(env), [`${at(src[0]!)} busy`, `${at(src[1]!)} busy`, `${at(src[2]!)} busy`, `${at(src[3]!)} free`, `${at(src[4]!)} busy`].sort());
    const spans = await env.store.tenant(env.tenantId).busy([b!], new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    assert.equal(spans.length, 4, 'the working-elsewhere block takes no time in the target');
    // Copies held as another calhub wrote them (here: all busy, as before) are rewritten once, then left alone.
    const wasBusy = env.backend.list(env.providerIds[1]!).find((o) => o.events.some((e) => e.availability === 'free'))!;
    env.backend.put(env.providerIds[1]!, wasBusy.remoteId, wasBusy.events.map((e) => ({ ...e, availability: 'busy' as const })));
    await settle(deps, env.tenantId, [a!, b!]);
    assert.deepEqual(new Set(copies(env).map((c) => c.split(' ')[1])), new Set(['busy', 'free']), 'the busy copy of working elsewhere became free again');
    // Once the target can hold every status, the copies carry their source's.
    held = caps;
    let seq = env.backend.seq;
    await settle(deps, env.tenantId, [a!, b!]);
    assert.equal(env.backend.seq - seq, 4, 'one write per copy whose status changes');
    assert.deepEqual(copies(env).map((c) => c.split(' ')[1]).sort(), ['busy', 'oof', 'tentative', 'tentative', 'workingElsewhere']);
    seq = env.backend.seq;
    await settle(deps, env.tenantId, [a!, b!]);
    assert.equal(env.backend.seq, seq, 'repeated syncs wrote to the provider');
  });
});
