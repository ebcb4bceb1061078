/**
 * The bounded share of the iCalendar ingestion fuzzing (issue 18, R5) that runs in `npm test`:
 * the ical.js hang inputs, the per-item time budget, the defects the fuzzer found, and a few
 * thousand mutated fixtures (CALHUB_FUZZ_ITERATIONS, CALHUB_FUZZ_SEED to replay). The million
 * iterations run in `npm run test:soak`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { EXPAND_BUDGET_MS } from '../../shared/time/index.ts';
import { BUDGET_REGRESSION, cpuTimed, emptyTally, fuzzBatch, HANG_REGRESSIONS, HANG_SLACK_MS, ingest, ITEM_BUDGET_MS } from './ical-fuzz.ts';

const ITERATIONS = Number(process.env['CALHUB_FUZZ_ITERATIONS'] ?? 4000);
const SEED = Number(process.env['CALHUB_FUZZ_SEED'] ?? randomBytes(4).readUInt32LE());
const item = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:t', 'BEGIN:VEVENT', 'UID:x', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('iCalendar ingestion under fuzzing', () => {
  it('each ical.js hang input is parsed or quarantined with a reason, well within the item budget', () => {
    const quarantined: Record<string, string> = {};
    for (const [name, text] of Object.entries(HANG_REGRESSIONS)) {
      // In CPU time, as every cost in this file: a loaded machine's wall clock says nothing of it.
      const { out, ms } = cpuTimed(() => ingest(text));
      assert.notEqual(out.kind, 'crash', `${name}: ${JSON.stringify(out)}`);
      assert.ok(ms < ITEM_BUDGET_MS, `${name} took ${Math.round(ms)} ms of CPU`);
      if (out.kind === 'quarantined') quarantined[name] = out.reason;
    }
    // The time-zone rules ical.js loops on are refused by the guard, naming the rule part.
    assert.match(quarantined['ical.js#318 feb-30'] ?? '', /VTIMEZONE Custom Zone: unsupported observance rule \(BYMONTHDAY\)/);
    assert.match(quarantined['ical.js#318 fifth-sunday-of-february'] ?? '', /BYDAY=5SU/);
    assert.match(quarantined['ical.js#509 in a vtimezone'] ?? '', /FREQ must be YEARLY/);
    assert.match(quarantined['nextcloud#6544 first-monday-in-15..21'] ?? '', /BYMONTHDAY with an ordinal BYDAY/);
    // An event rule that never matches is not refused: the expander's work budget ends it.
    assert.deepEqual(ingest(HANG_REGRESSIONS['ical.js#509 monthly bysetpos']!), { kind: 'ok', events: 1, occurrences: 0 });
  });

  it('an item whose zones cost more than its budget is quarantined at the budget, not after its last value', () => {
    const budget = 100;
    // One step (a zone or a conversion through one) may run past the budget, never the rest.
    // Counted in CPU time: the wall clock of a loaded machine (CI: 2,855 ms) says nothing of it.
    const bound = budget + 400;
    // The input must cost well past the bound whole, or stopping early proves nothing: at 120
    // zones a fast machine parsed it in 478 ms, under the 500 ms budget this case then used.
    const whole = cpuTimed(() => ingest(BUDGET_REGRESSION, 60_000));
    assert.equal(whole.out.kind, 'ok', JSON.stringify(whole.out));
    assert.ok(whole.ms > 2 * bound, `the whole item cost only ${Math.round(whole.ms)} ms of CPU; make it dearer`);
    const cut = cpuTimed(() => ingest(BUDGET_REGRESSION, budget));
    assert.equal(cut.out.kind, 'quarantined', JSON.stringify(cut.out));
    assert.match(cut.out.kind === 'quarantined' ? cut.out.reason : '', /parsing took longer than 100 ms; item skipped/);
    assert.ok(cut.ms < bound, `stopped after ${Math.round(cut.ms)} ms of CPU, the whole item costs ${Math.round(whole.ms)} ms`);
  });

  it('what the fuzzer found: a rule the expander refuses and a duration past year 9999 are quarantined, not thrown', () => {
    const rule = ingest(item('DTSTART:20260101T080000Z', 'RRULE:FREQ=YEARLY;BYNOTAPART=2;BYMONTHDAY=3'));
    assert.equal(rule.kind, 'quarantined', JSON.stringify(rule));
    assert.match(rule.kind === 'quarantined' ? rule.reason : '', /VEVENT x RRULE: invalid RRULE BYNOTAPART: is not an RFC 5545 rule part/);
    const long = ingest(item('DTSTART:20260101T080000Z', 'DURATION:P99999999W'));
    assert.equal(long.kind, 'quarantined', JSON.stringify(long));
    assert.match(long.kind === 'quarantined' ? long.reason : '', /DURATION: duration "P99999999W" is longer than 36600 days/);
  });

  it('what the soak found: a leap second is read as :59, and a rule that never matches stops at the expansion budget', () => {
    const leap = ingest(item('DTSTART:20150111T080000Z', 'RDATE;TZID=W. Europe Standard Time:19300802T064860Z', 'RRULE:FREQ=MONTHLY;BYDAY=1TH;BYSETPOS=2'));
    assert.equal(leap.kind, 'ok', JSON.stringify(leap));
    // FREQ=SECONDLY with BYSETPOS never matching, and a never-matching monthly rule: 2,000,000
    // work units took 3.7-7.5 s at load 12; the clock now ends each series at EXPAND_BUDGET_MS.
    for (const rules of [['RRULE:FREQ=SECONDLY;COUNT=512240411', 'RRULE:FREQ=MONTHLY;BYDAY=1TH;BYSETPOS=2'], ['RRULE:FREQ=MINUTELY;BYSETPOS=-207,-358,-292,59,167']]) {
      const { out, ms } = cpuTimed(() => ingest(item('DTSTART:20150111T080000Z', ...rules)));
      assert.notEqual(out.kind, 'crash', JSON.stringify(out));
      assert.ok(ms < EXPAND_BUDGET_MS + HANG_SLACK_MS, `${rules.join(' ')}: ${Math.round(ms)} ms of CPU`);
    }
  });

  it('what the 300,000-case run found: a VTIMEZONE ical.js cannot read, or a year before 1000 in one, is quarantined naming the zone', () => {
    const zone = (offset: string, start = '19701025T030000') => ['BEGIN:VTIMEZONE', 'TZID:Custom Zone', 'BEGIN:STANDARD', `DTSTART:${start}`, 'TZOFFSETFROM:+0200', `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'];
    const withZone = (lines: string[], ...event: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:t', ...lines, 'BEGIN:VEVENT', 'UID:z', 'DTSTAMP:20260101T000000Z', ...event, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const cases = [
      withZone(zone('+{iK0'), 'DTSTART;TZID=Custom Zone:20261102T090000'),
      withZone(zone('+0100', '19701025T0MhN8X'), 'DTSTART;TZID=Custom Zone:20261102T090000'),
      withZone(zone('+0100', '19701025T00000'), 'DTSTART;TZID=Custom Zone:20261102T090000'),
      withZone(zone('+0100'), 'DTSTART;TZID=Custom Zone:20261102T090000', 'RDATE;TZID=Custom Zone:01500129T143817'),
    ];
    for (const text of cases) {
      const out = ingest(text);
      assert.notEqual(out.kind, 'crash', JSON.stringify(out));
      if (out.kind === 'quarantined') assert.match(out.reason, /Custom Zone/, out.reason);
    }
  });

  it(`${ITERATIONS} mutated fixtures: every item parses or is quarantined, none crashes or overruns its budget`, () => {
    const tally = emptyTally();
    const t0 = Date.now();
    fuzzBatch(SEED, ITERATIONS, tally);
    const summary = `ical fuzz: seed ${SEED}, ${tally.iterations} iterations in ${Date.now() - t0} ms: ${tally.ok} parsed, ${tally.quarantined} quarantined, ` +
      `${tally.crashes.length} crashes, ${tally.slow.length} over budget; slowest item ${Math.round(tally.maxMs)} ms of CPU`;
    console.log(summary);
    assert.equal(tally.iterations, ITERATIONS);
    assert.deepEqual(tally.crashes.slice(0, 3), [], `${summary} (replay with CALHUB_FUZZ_SEED=${SEED})`);
    assert.deepEqual(tally.slow.slice(0, 3), [], `${summary} (replay with CALHUB_FUZZ_SEED=${SEED})`);
  });
});
