import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
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
