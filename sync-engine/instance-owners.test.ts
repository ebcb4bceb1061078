import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { InstanceOwners } from './screen.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('instance owners of a listing run', () => {
  it('keep their keys and hrefs, not the provider answers they were sliced from', () => {
    const owners = new InstanceOwners();
    const answer = (i: number) => `<href>/cal/ev-${i}.ics</href>UID:uid-${i}@example.com\r\n${'x'.repeat(1_000_000)}`;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20; i++) {
      // One 1 MB answer per object, as an unflattened parse leaves them: slices of it.
      const text = answer(i);
      const href = text.slice(6, text.indexOf('</href>'));
      const uid = text.slice(text.indexOf('UID:') + 4, text.indexOf('\r\n'));
      owners.hold(href, [`${uid}\u0001`]);
    }
    gc();
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    assert.ok(kept < 4_000_000, `20 answers of 1 MB are gone once their objects are held: ${kept} bytes kept`);
    assert.equal(owners.get('uid-7@example.com\u0001'), '/cal/ev-7.ics');
  });
});
