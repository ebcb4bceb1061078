import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { RemoteChange } from '../connectors/index.ts';
import { instanceKey, InstanceOwners, screenPage } from './screen.ts';
import { sampleEvent } from './test-support/memory-env.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('instance owners of a listing run', () => {
  it('cost a fixed few bytes per instance, not the strings: 100,000 instances under 64 bytes each', () => {
    // Held as strings in Maps they cost ~350 bytes each, kept to the end of the run (issue 15).
    gc();
    const before = process.memoryUsage();
    const owners = new InstanceOwners();
    for (let i = 0; i < 100_000; i++) owners.hold(`/dav/calendars/alice/work/${i}-4f1c-9d2e-8a7b-0c3d5e6f7a8b.ics`, [`${i}-4f1c-9d2e-8a7b-0c3d5e6f7a8b@example.com\u0001`]);
    gc();
    gc();
    const after = process.memoryUsage();
    const kept = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
    assert.ok(kept < 6_400_000, `${kept} bytes kept for 100,000 instances`);
    assert.equal(owners.recorded('99999-4f1c-9d2e-8a7b-0c3d5e6f7a8b@example.com\u0001', '/dav/calendars/alice/work/99999-4f1c-9d2e-8a7b-0c3d5e6f7a8b.ics'), 'same');
  });

  it('say which object was recorded for an instance: none, the same one, or another', () => {
    const owners = new InstanceOwners();
    // Past the table's first size, so the answers survive its growth.
    for (let i = 0; i < 3_000; i++) owners.hold(`/cal/ev-${i}.ics`, [`uid-${i}\u0001`, `uid-${i}\u000120261201T090000Z`]);
    assert.equal(owners.recorded('uid-7\u0001', '/cal/ev-7.ics'), 'same');
    assert.equal(owners.recorded('uid-7\u000120261201T090000Z', '/cal/ev-7.ics'), 'same');
    assert.equal(owners.recorded('uid-7\u0001', '/cal/ev-8.ics'), 'other');
    assert.equal(owners.recorded('uid-2999\u0001', '/cal/ev-2999.ics'), 'same');
    assert.equal(owners.recorded('uid-3000\u0001', '/cal/ev-3000.ics'), 'none');
    // Sent again by another object: the latest is recorded (the screen confirms it with the store).
    owners.hold('/cal/moved.ics', ['uid-7\u0001']);
    assert.equal(owners.recorded('uid-7\u0001', '/cal/moved.ics'), 'same');
    owners.clear();
    assert.equal(owners.recorded('uid-7\u0001', '/cal/moved.ics'), 'none');
  });

  it('a clash across pages is named only while the earlier object still holds the instance in the store', async () => {
    const event = sampleEvent({ title: 'shared' });
    const key = instanceKey(event);
    const up = (remoteId: string): RemoteChange => ({ kind: 'upsert', remoteId, version: null, events: [event] });
    // The store after each applied page: which remote id holds the instance.
    const rows = new Map<string, string>();
    const stored = async (_uid: string, k: string) => rows.get(k) ?? null;
    const apply = (page: RemoteChange[]) => {
      for (const c of page) {
        if (c.kind === 'upsert') rows.set(key, c.remoteId);
        if (c.kind === 'delete' && rows.get(key) === c.remoteId) rows.delete(key);
      }
    };
    const run = new InstanceOwners();
    const kinds = async (page: RemoteChange[]) => {
      const out = await screenPage(page, run, stored);
      apply(out);
      return out.map((c) => (c.kind === 'invalid' ? `invalid: ${c.error}` : c.kind));
    };
    // A row of an earlier run, under another object: a move, no clash.
    rows.set(key, 'old');
    assert.deepEqual(await kinds([up('first')]), ['upsert']);
    assert.deepEqual(await kinds([up('second')]), [`invalid: UID ${event.uid} is also used by first in this calendar (one object per UID); this one is set aside`]);
    // Deleted and taken over in one page: the page says the first no longer holds it.
    assert.deepEqual(await kinds([{ kind: 'delete', remoteId: 'first' }, up('third')]), ['delete', 'upsert']);
    // Deleted on one page, taken over on a later one: the store says so.
    assert.deepEqual(await kinds([{ kind: 'delete', remoteId: 'third' }]), ['delete']);
    assert.deepEqual(await kinds([up('fourth')]), ['upsert']);
    // The same object sent again is no clash with itself.
    assert.deepEqual(await kinds([up('fourth')]), ['upsert']);
  });
});
