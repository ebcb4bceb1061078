import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoInstant, isoKey } from './iso.ts';

const keyOf = (ms: number) => {
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s;
};

test('isoInstant and isoKey agree with toISOString across the whole range and its edges', () => {
  const edges = [0, -1, 1, 999, 1000, -1000, -1001, 86_399_999, 86_400_000, -86_400_000, -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, Date.UTC(2024, 1, 29, 23, 59, 59, 7), Date.UTC(1900, 0, 1)];
  let seed = 7;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const random = Array.from({ length: 20_000 }, (_, i) => Math.floor((rand() - 0.5) * 2 * (i % 2 ? 4e12 : 2.6e14)));
  for (const ms of [...edges, ...random, ...random.map((m) => m - (m % 1000))]) {
    assert.equal(isoInstant(ms), new Date(ms).toISOString(), String(ms));
    assert.equal(isoKey(ms), keyOf(ms), String(ms));
  }
});
