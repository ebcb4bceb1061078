/**
 * rangeSegments: a series with RANGE=THISANDFUTURE overrides as plain series (what a mirror copy
 * is made of), which together show exactly the occurrences the ranged series shows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEvent, type CanonicalEvent, type CanonicalEventInput } from '../shared/model/index.ts';
import { expandSeries } from '../shared/time/index.ts';
import { rangeSegments } from './following.ts';
import { settle } from './settle.ts';
import { memoryEnv } from './test-support/memory-env.ts';

const BE = 'Europe/Berlin';
const at = (iso: string) => ({ dateTime: iso, timeZone: BE });
const ev = (e: Partial<CanonicalEventInput>) => parseEvent({ uid: 'range-1', start: at('2026-10-05T07:00:00Z'), end: at('2026-10-05T08:00:00Z'), ...e });
const WINDOW = { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') };

function shown(events: CanonicalEvent[]): string[] {
  const master = events.find((e) => e.originalStart === null) ?? null;
  return expandSeries({ master, overrides: events.filter((e) => e !== master), calendarTimeZone: 'UTC', window: WINDOW })
    .map((o) => `${new Date(o.startMs).toISOString().slice(0, 16)}-${new Date(o.endMs).toISOString().slice(11, 16)} ${o.event.title} ${o.event.status}`);
}

// The series of connectors/caldav/ical/fixtures/weekly-range-thisandfuture-berlin.ics.
const SERIES = [
  ev({ title: 'Standup', recurrence: { rrules: ['FREQ=WEEKLY;COUNT=10'], exdates: [at('2026-11-09T08:00:00Z')] } }),
  ev({ title: 'Standup (later)', originalStart: at('2026-10-19T07:00:00Z'), start: at('2026-10-19T08:30:00Z'), end: at('2026-10-19T09:15:00Z'), thisAndFuture: true }),
  ev({ title: 'Standup (one-off)', originalStart: at('2026-11-16T08:00:00Z'), start: at('2026-11-17T13:00:00Z'), end: at('2026-11-17T14:00:00Z') }),
  ev({ title: 'Standup (tentative)', status: 'tentative', originalStart: at('2026-11-30T08:00:00Z'), start: at('2026-11-30T08:00:00Z'), end: at('2026-11-30T09:00:00Z'), thisAndFuture: true }),
];

test('each range override starts a plain series; together they show what the ranged series shows', () => {
  const parts = rangeSegments(SERIES, 'UTC');
  assert.deepEqual(parts.map((p) => p.from), [null, '2026-10-19T07:00:00Z', '2026-11-30T08:00:00Z']);
  assert.ok(parts.every((p) => p.events.every((e) => e.thisAndFuture === undefined)), 'no range left');
  assert.deepEqual(parts.map((p) => p.events.find((e) => e.originalStart === null)!.recurrence!.rrules), [['FREQ=WEEKLY;COUNT=2'], ['FREQ=WEEKLY;COUNT=6'], ['FREQ=WEEKLY;COUNT=2']]);
  const together = parts.flatMap((p) => shown(p.events)).sort();
  assert.deepEqual(together, shown(SERIES));
  assert.equal(together.length, 9);
});

test('a range override at the first occurrence leaves no first part; a series without one is one part as it was', () => {
  const first = [SERIES[0]!, ev({ title: 'All later', originalStart: at('2026-10-05T07:00:00Z'), start: at('2026-10-05T09:00:00Z'), end: at('2026-10-05T09:30:00Z'), thisAndFuture: true })];
  const parts = rangeSegments(first, 'UTC');
  assert.deepEqual(parts.map((p) => p.from), ['2026-10-05T07:00:00Z']);
  assert.deepEqual(parts.flatMap((p) => shown(p.events)).sort(), shown(first));
  const plain = [SERIES[0]!, SERIES[2]!];
  assert.deepEqual(rangeSegments(plain, 'UTC'), [{ from: null, events: plain }]);
});

test('a mirror copy of a series with range overrides is busy when the source is, and settles', async () => {
  const env = await memoryEnv({ calendars: 2 });
  try {
    const [a, b] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    await t.mirror.create(a!, b!, { mode: 'full-copy' });
    env.backend.put(env.providerIds[0]!, null, SERIES);
    await settle(env.deps, env.tenantId, [a!, b!]);
    const spans = async (cal: string) => (await t.busy([cal], WINDOW.start, WINDOW.end)).map((r) => `${r.start.toISOString()}/${r.end.toISOString()} ${r.status}`).sort();
    const source = await spans(a!);
    assert.equal(source.length, 9);
    assert.deepEqual(await spans(b!), source);
    const copies = (await t.events.list(b!)).map((r) => r.event);
    assert.ok(copies.every((e) => e.thisAndFuture === undefined), 'the copies hold no range');
    assert.equal(new Set(copies.map((e) => e.uid)).size, 3, 'one copy per part');
    const seq = env.backend.seq;
    await settle(env.deps, env.tenantId, [a!, b!]);
    assert.equal(env.backend.seq, seq, 'a settled copy was written again');
  } finally {
    await env.close();
  }
});
