/**
 * A SEQUENCE raised at the provider with nothing else changed (another client's new revision of the
 * same content). The content hash leaves SEQUENCE out, so the pull took it as an echo: the ledger
 * kept the new SEQUENCE (what calhub's next update numbers above) but the stored event, and the
 * API's `sequence`, kept the old one until a real change came.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { pullCalendar } from './pull.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

const outboxRows = async (e: MemoryEnv) => (await e.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_outbox'))[0]!.n;

describe('a SEQUENCE-only change pulled from the provider', () => {
  it('updates the stored event\'s sequence and version, and sends no webhook (its content is the same)', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const obj = env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'agreed', sequence: 1 })]);
    await pullCalendar(env.deps, env.tenantId, cal!);
    const t = env.store.tenant(env.tenantId);
    const [before] = await t.events.list(cal!);
    assert.equal(before!.event.sequence, 1);
    const messages = await outboxRows(env);

    const again = env.backend.put(env.providerIds[0]!, obj.remoteId, [{ ...obj.events[0]!, sequence: 4 }]);
    await pullCalendar(env.deps, env.tenantId, cal!);
    const [after] = await t.events.list(cal!);
    assert.equal(after!.event.sequence, 4, 'the stored event has the provider\'s SEQUENCE');
    assert.equal(after!.event.providerVersion, again.version);
    assert.equal(after!.id, before!.id);
    assert.equal(after!.contentHash, before!.contentHash, 'same content: same etag at the API');
    assert.equal(await outboxRows(env), messages, 'no event.updated for a change of nothing the webhook shows apart from sequence');
    assert.equal((await settle(env.deps, env.tenantId, [cal!])).written, 0, 'nothing to write back');
  });

  it('leaves a local edit not yet pushed alone (the ledger still keeps the SEQUENCE to number above)', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const obj = env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'agreed', sequence: 1 })]);
    await pullCalendar(env.deps, env.tenantId, cal!);
    const t = env.store.tenant(env.tenantId);
    const [row] = await t.events.list(cal!);
    await env.writer.update(env.tenantId, row!.id, { title: 'edited in the hub' });
    env.backend.put(env.providerIds[0]!, obj.remoteId, [{ ...obj.events[0]!, sequence: 4 }]);
    await pullCalendar(env.deps, env.tenantId, cal!);
    const [kept] = await t.events.list(cal!);
    assert.equal(kept!.event.title, 'edited in the hub');
    const [entry] = await t.ledger.byUid(cal!, row!.event.uid);
    assert.equal(entry!.base[0]!.sequence, 4);
  });
});
