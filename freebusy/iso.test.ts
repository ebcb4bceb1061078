import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isoUtc } from './iso.ts';

test('isoUtc formats exactly like Date#toISOString', () => {
  fc.assert(
    fc.property(fc.integer({ min: Date.parse('1970-01-01T00:00:00Z'), max: Date.parse('2199-12-31T23:59:59.999Z') }), fc.integer({ min: -3_000_000, max: 3_000_000 }), (a, d) => {
      assert.equal(isoUtc(a), new Date(a).toISOString());
      assert.equal(isoUtc(a + d), new Date(a + d).toISOString(), 'the day cache is not stale');
    }),
    { numRuns: 20_000 },
  );
});
