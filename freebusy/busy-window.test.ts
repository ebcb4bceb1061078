/**
 * The fast window answers (busy-window.ts, over busy-cache.ts's preformatted runs) against THE
 * definition of busy in a window (busy-in-window.ts), for arbitrary stored spans and windows. The
 * spans sit on a coarse grid so that ties, touching spans and edges on span ends are common.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildBusy } from './busy-cache.ts';
import { busyInWindow, union, type Span } from './busy-in-window.ts';
import { blockingSpans, busyJson, busyJsonMerged, mergedJson, spansInWindow } from './busy-window.ts';

const Q = 15 * 60_000;
const BASE = Date.parse('2026-11-01T00:00:00Z');
const STATUSES = ['busy', 'tentative', 'oof', 'workingElsewhere'] as const;
type Row = [number, number, string, string, string];

// Zero-length and inverted rows too: the index never stores them, but the cache must ignore them.
const row = fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: -1, max: 40 }), fc.constantFrom(...STATUSES), fc.nat(20)).map(
  ([s, len, status, n]): Row => [BASE + s * Q, BASE + (s + len) * Q, status, `u${n}`, n % 3 === 0 ? `k${n}` : ''],
);
const calendar = fc.array(row, { maxLength: 40 });
const window = fc.tuple(fc.integer({ min: -10, max: 130 }), fc.integer({ min: 1, max: 140 }), fc.boolean()).map(([s, len, offGrid]) => {
  const ws = BASE + s * Q + (offGrid ? 7 * 60_000 : 0);
  return { ws, we: ws + len * Q };
});

const iso = (ms: number) => new Date(ms).toISOString();
/** The definition, from the stored rows as the index returns them (sorted by start, then end). */
function reference(rows: Row[], ws: number, we: number) {
  const spans: Span[] = rows
    .filter((r) => r[1] > r[0])
    .map((r) => ({ start: r[0], end: r[1], status: r[2] }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  return busyInWindow(spans, ws, we, false);
}
const asText = (spans: Array<{ start: number; end: number; status: string }>) => spans.map((s) => `${iso(s.start)}/${iso(s.end)} ${s.status}`).sort();
const parsed = (json: string) => (JSON.parse(json) as Array<{ start: string; end: string; status: string }>).map((s) => `${s.start}/${s.end} ${s.status}`).sort();
const build = (rows: Row[]) => buildBusy('t', 'c', 1, rows.map((r) => [...r] as Row));

test('busyJson answers exactly busyInWindow, in (start, end) order, and so does the long way', () => {
  fc.assert(
    fc.property(calendar, window, (rows, { ws, we }) => {
      const cal = build(rows);
      const text = busyJson(cal, ws, we);
      assert.deepEqual(parsed(text), asText(reference(rows, ws, we)));
      assert.equal(text, busyJsonMerged(cal, ws, we));
      const got = JSON.parse(text) as Array<{ start: string; end: string }>;
      for (let i = 1; i < got.length; i++) assert.ok(got[i - 1]!.start < got[i]!.start || (got[i - 1]!.start === got[i]!.start && got[i - 1]!.end <= got[i]!.end));
    }),
    { numRuns: 400 },
  );
});

test('explain reads the spans behind the window (spansInWindow) and merges them to the same answer', () => {
  fc.assert(
    fc.property(calendar, window, (rows, { ws, we }) => {
      const cal = build(rows);
      assert.deepEqual(asText(busyInWindow(spansInWindow(cal, ws, we), ws, we, true)), asText(reference(rows, ws, we)));
    }),
    { numRuns: 400 },
  );
});

test('merged is the union of every calendar\'s busy time in the window, whatever the status', () => {
  fc.assert(
    fc.property(fc.array(calendar, { minLength: 1, maxLength: 4 }), window, (cals, { ws, we }) => {
      const got = (JSON.parse(mergedJson(cals.map(build), ws, we)) as Array<{ start: string; end: string }>).map((s) => `${s.start}/${s.end}`);
      const want = union(cals.flatMap((rows) => reference(rows, ws, we))).map((s) => `${iso(s.start)}/${iso(s.end)}`);
      assert.deepEqual(got, want);
    }),
    { numRuns: 300 },
  );
});

test('availability blocks exactly the busy time of the statuses that are not free', () => {
  fc.assert(
    fc.property(calendar, window, fc.subarray([...STATUSES]), (rows, { ws, we }, free) => {
      const freeSet = new Set<string>(free);
      const clip = (s: { start: number; end: number }) => ({ start: Math.max(s.start, ws), end: Math.min(s.end, we) });
      const got = union(blockingSpans(build(rows), ws, we, freeSet).map(clip).filter((s) => s.end > s.start));
      const want = union(reference(rows, ws, we).filter((s) => !freeSet.has(s.status)));
      assert.deepEqual(got, want);
    }),
    { numRuns: 300 },
  );
});
