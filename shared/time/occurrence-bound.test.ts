import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalEvent, EventTime } from '../model/index.ts';
import { expandSeries, MAX_OCCURRENCES, occurrenceBound } from './index.ts';
import { series, zoned } from './test-support.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-01T00:00:00Z');
/** The busy horizon the write budget prices over (CALHUB_HORIZON_* defaults). */
const HORIZON = { start: new Date(NOW - 365 * DAY), end: new Date(NOW + 730 * DAY) };

const real = (m: CanonicalEvent, window: { start: Date; end: Date }, calendarTimeZone = 'UTC'): number =>
  expandSeries({ master: m, overrides: [], calendarTimeZone, window }).length;

/** A small seeded PRNG (mulberry32): the same cases on every run, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Pacific/Apia', 'Asia/Kathmandu', 'America/Santiago'];
const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const WD = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function randomCase(r: () => number): { master: CanonicalEvent; window: { start: Date; end: Date }; calZone: string; text: string } {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(l: readonly T[]): T => l[int(0, l.length - 1)]!;
  const some = (lo: number, hi: number, n: number, signed = false): string =>
    Array.from({ length: int(1, n) }, () => (signed && r() < 0.3 ? -1 : 1) * int(lo, hi)).join(',');
  const rule = (startMs: number): string => {
    const parts = [`FREQ=${pick(FREQS)}`];
    if (r() < 0.4) parts.push(`INTERVAL=${pick([2, 3, 5, 7, 13, 400])}`);
    if (r() < 0.3) parts.push(`BYMONTH=${some(1, 12, 3)}`);
    if (r() < 0.3) parts.push(`BYMONTHDAY=${some(1, 31, 3, true)}`);
    if (r() < 0.1) parts.push(`BYYEARDAY=${some(1, 366, 3, true)}`);
    if (r() < 0.1) parts.push(`BYWEEKNO=${some(1, 53, 3, true)}`);
    if (r() < 0.4) parts.push(`BYDAY=${Array.from({ length: int(1, 5) }, () => `${r() < 0.3 ? pick(['1', '2', '-1', '-2', '4', '20']) : ''}${pick(WD)}`).join(',')}`);
    if (r() < 0.3) parts.push(`BYHOUR=${some(0, 23, 4)}`);
    if (r() < 0.3) parts.push(`BYMINUTE=${some(0, 59, 4)}`);
    if (r() < 0.2) parts.push(`BYSECOND=${some(0, 59, 3)}`);
    if (r() < 0.25) parts.push(`BYSETPOS=${some(1, 5, 3, true)}`);
    if (r() < 0.2) parts.push(`WKST=${pick(WD)}`);
    const end = r();
    if (end < 0.35) parts.push(`COUNT=${pick([1, 3, 10, 100, 1000, 5000, 100_000])}`);
    else if (end < 0.7) parts.push(`UNTIL=${new Date(startMs + int(0, 900) * DAY * pick([1, 1 / 24, 1 / 1440])).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`);
    return parts.join(';');
  };
  const winStart = NOW + int(-400, 400) * DAY + int(0, 23) * 3_600_000;
  const window = { start: new Date(winStart), end: new Date(winStart + pick([1, 7, 31, 120]) * DAY) };
  const startMs = winStart + int(-500, 200) * DAY + int(0, 86_399) * 1000;
  const zone = pick(ZONES);
  const calZone = pick(ZONES);
  const wall = new Date(startMs).toISOString().slice(0, 19);
  const form = r();
  let start: EventTime;
  let endT: EventTime;
  if (form < 0.2) {
    start = { date: wall.slice(0, 10) };
    endT = { date: new Date(startMs + int(1, 3) * DAY).toISOString().slice(0, 10) };
  } else if (form < 0.35) {
    start = { local: wall };
    endT = { local: new Date(startMs + int(0, 48) * 1_800_000).toISOString().slice(0, 19) };
  } else {
    start = zoned(wall, zone);
    endT = zoned(new Date(startMs + int(0, 48) * 1_800_000).toISOString().slice(0, 19), zone);
  }
  const rrules = Array.from({ length: r() < 0.15 ? 0 : r() < 0.8 ? 1 : 2 }, () => rule(startMs));
  const rdates: EventTime[] = r() < 0.25 || rrules.length === 0 ? Array.from({ length: int(1, 6) }, () => {
    const ms = winStart + int(-10, 130) * DAY + int(0, 23) * 3_600_000;
    return 'date' in start ? { date: new Date(ms).toISOString().slice(0, 10) } : 'local' in start ? { local: new Date(ms).toISOString().slice(0, 19) } : { dateTime: `${new Date(ms).toISOString().slice(0, 19)}Z`, timeZone: zone };
  }) : [];
  return { master: series(start, endT, rrules, { rdates }), window, calZone, text: `${JSON.stringify(start)} ${rrules.join(' + ')} rdates=${rdates.length} window=${window.start.toISOString()}/${window.end.toISOString()} cal=${calZone}` };
}

describe('occurrenceBound: what a write is priced at without expanding it', () => {
  it('is never below real expansion (600 seeded random series: every FREQ, BYxxx mix, BYSETPOS, COUNT, UNTIL, RDATEs, DST zones, all-day, floating)', () => {
    const r = rng(12);
    let belowCap = 0;
    for (let i = 0; i < 600; i++) {
      const c = randomCase(r);
      const got = occurrenceBound(c.master, c.calZone, c.window);
      const want = real(c.master, c.window, c.calZone);
      assert.ok(got >= want, `case ${i}: bound ${got} < ${want} expanded: ${c.text}`);
      assert.ok(got >= 1 && got <= MAX_OCCURRENCES);
      if (got < MAX_OCCURRENCES) belowCap++;
    }
    // Most cases must be priced below the cap, or the test would hold for a constant 5,000.
    assert.ok(belowCap > 300, `only ${belowCap} of 600 cases priced below the cap`);
  });

  it('is within 1.25× (+2) of real expansion for everyday rules over the horizon', () => {
    const at = (days: number, zone = 'Europe/Berlin') => {
      const wall = new Date(NOW + days * DAY + 9 * 3_600_000).toISOString().slice(0, 19);
      return [zoned(wall, zone), zoned(wall.replace('T09', 'T10'), zone)] as const;
    };
    const cases: Array<[string, number]> = [
      ['FREQ=DAILY', -30],
      ['FREQ=DAILY;COUNT=10', 3],
      ['FREQ=DAILY;BYHOUR=9,13,17', 0],
      ['FREQ=WEEKLY', -500],
      ['FREQ=WEEKLY;BYDAY=MO,WE,FR', 2],
      ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', 5],
      ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270301T000000Z', 1],
      ['FREQ=MONTHLY;BYMONTHDAY=15', -100],
      ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 0],
      ['FREQ=MONTHLY;INTERVAL=3', 10],
      ['FREQ=YEARLY', -2000],
      ['FREQ=HOURLY;UNTIL=20261115T000000Z', 12],
      ['FREQ=MINUTELY;INTERVAL=15;COUNT=200', 40],
      ['FREQ=MINUTELY;COUNT=5000', 1],
    ];
    for (const [rule, days] of cases) {
      const [s, e] = at(days);
      const m = series(s, e, [rule]);
      const got = occurrenceBound(m, 'UTC', HORIZON);
      const want = real(m, HORIZON);
      assert.ok(got >= want && got <= want * 1.25 + 2, `${rule}: bound ${got}, expanded ${want}`);
    }
  });

  it('counts ordinal weekdays once per month or year, and RDATEs only inside the window', () => {
    const [s, e] = [zoned('2026-11-02T09:00:00', 'UTC'), zoned('2026-11-02T10:00:00', 'UTC')];
    for (const rule of ['FREQ=MONTHLY;BYDAY=1MO', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=MONTHLY;BYDAY=1MO,-1FR', 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH']) {
      const m = series(s, e, [rule]);
      const want = real(m, HORIZON);
      const got = occurrenceBound(m, 'UTC', HORIZON);
      assert.ok(got >= want && got <= want * 1.1 + 2, `${rule}: bound ${got}, expanded ${want}`);
    }
    const far = Array.from({ length: 50 }, (_, i) => ({ dateTime: `20${40 + (i % 50)}-01-01T09:00:00Z`, timeZone: 'UTC' }));
    const near = [{ dateTime: '2026-12-01T09:00:00Z', timeZone: 'UTC' }];
    assert.equal(occurrenceBound(series(s, e, [], { rdates: [...far, ...near] }), 'UTC', HORIZON), 2);
  });

  it('is exact where the rule leaves no slack: DTSTART off the rule, a COUNT partly spent before the window', () => {
    // A Monday DTSTART of a Tuesday rule is an instance of its own, on top of four Tuesdays.
    const mon = series(zoned('2026-11-02T09:00:00', 'UTC'), zoned('2026-11-02T10:00:00', 'UTC'), ['FREQ=WEEKLY;BYDAY=TU;UNTIL=20261124T235959Z']);
    assert.equal(real(mon, HORIZON), 5);
    assert.equal(occurrenceBound(mon, 'UTC', HORIZON), 5);
    // Every 7 days from a Thursday, 20 times; the window opens on a Monday after ten of them.
    const ws = Date.parse('2027-01-04T00:00:00Z');
    const window = { start: new Date(ws), end: new Date(ws + 365 * DAY) };
    const thu = series(zoned('2026-10-29T09:00:00', 'UTC'), zoned('2026-10-29T10:00:00', 'UTC'), ['FREQ=DAILY;INTERVAL=7;COUNT=20']);
    assert.equal(real(thu, window), 10);
    assert.equal(occurrenceBound(thu, 'UTC', window), 10);
  });

  it('prices the attacker\'s shapes at the cap or at their COUNT, however large the rule', () => {
    const [s, e] = [zoned('2026-11-02T09:00:00', 'UTC'), zoned('2026-11-02T09:01:00', 'UTC')];
    for (const rule of [
      'FREQ=MINUTELY;COUNT=5000',
      'FREQ=SECONDLY;COUNT=4000000000',
      'FREQ=SECONDLY',
      'FREQ=MINUTELY;UNTIL=99991231T235959Z',
      'FREQ=HOURLY;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55;BYSECOND=0,10,20,30,40,50',
      'FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0,6,12,18;BYMINUTE=0,30',
    ]) {
      assert.equal(occurrenceBound(series(s, e, [rule]), 'UTC', HORIZON), MAX_OCCURRENCES, rule);
    }
    assert.equal(occurrenceBound(series(s, e, ['FREQ=MINUTELY;COUNT=700']), 'UTC', HORIZON), 700);
    // Outside the horizon nothing is materialized, so nothing is charged beyond the minimum.
    const old = [zoned('2020-01-01T09:00:00', 'UTC'), zoned('2020-01-01T09:01:00', 'UTC')] as const;
    assert.equal(occurrenceBound(series(old[0], old[1], ['FREQ=MINUTELY;COUNT=5000']), 'UTC', HORIZON), 1);
  });

  it('with a larger cap, is never below what the busy index expands through a sink', () => {
    const cap = 100_000;
    const [s, e] = [zoned('2026-11-02T09:00:00', 'Europe/Berlin'), zoned('2026-11-02T09:01:00', 'Europe/Berlin')];
    for (const rule of ['FREQ=MINUTELY', 'FREQ=HOURLY', 'FREQ=MINUTELY;INTERVAL=7;BYHOUR=9,10,11,12,13,14,15,16', 'FREQ=HOURLY;BYMINUTE=0,30;UNTIL=20270601T000000Z', 'FREQ=DAILY;BYHOUR=8,12,16']) {
      const m = series(s, e, [rule]);
      let sunk = 0;
      expandSeries({ master: m, overrides: [], calendarTimeZone: 'UTC', window: HORIZON, sink: () => ++sunk < cap });
      const got = occurrenceBound(m, 'UTC', HORIZON, cap);
      assert.ok(got >= sunk && got <= cap, `${rule}: bound ${got}, sink saw ${sunk}`);
    }
  });

  it('throws on an invalid rule, like expansion', () => {
    const [s, e] = [zoned('2026-11-02T09:00:00', 'UTC'), zoned('2026-11-02T10:00:00', 'UTC')];
    assert.throws(() => occurrenceBound(series(s, e, ['FREQ=FORTNIGHTLY']), 'UTC', HORIZON), /FREQ/);
  });
});
