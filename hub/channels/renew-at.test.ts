import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renewAt } from './channel-pass.ts';

const DAY = 86_400_000;
const now = new Date('2027-01-04T00:00:00Z');
const expires = new Date(now.getTime() + 7 * DAY);
const share = (d: Date) => (d.getTime() - now.getTime()) / (7 * DAY);

test('a renewed channel is checked again a quarter of its life before expiry, minus up to a twentieth', () => {
  for (let i = 0; i < 1000; i++) {
    const s = share(renewAt(expires, now));
    assert.ok(s >= 0.7 - 1e-9 && s <= 0.75 + 1e-9, String(s));
  }
});

test("a new channel's first renewal is spread over the middle half of its life, so channels created together do not renew together", () => {
  const shares = Array.from({ length: 2000 }, () => share(renewAt(expires, now, true)));
  assert.ok(shares.every((s) => s >= 0.25 - 1e-9 && s <= 0.75 + 1e-9));
  // Spread, not bunched: each tenth of the range holds roughly a tenth of the channels.
  const bins = Array.from({ length: 10 }, (_, k) => shares.filter((s) => s >= 0.25 + k * 0.05 && s < 0.3 + k * 0.05).length);
  assert.ok(Math.max(...bins) < 2000 * 0.15, `bins ${bins.join(' ')}`);
});
