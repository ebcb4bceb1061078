/**
 * Hostile and broken input: the parser either returns events or throws InvalidRemoteDataError,
 * never another error and never a hang (R5). Includes the ical.js infinite-loop inputs.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expandSeries } from '../../../shared/time/index.ts';
import { InvalidRemoteDataError } from '../../errors.ts';
import { parseCalendarObject } from './index.ts';

const FIXTURES = new URL('../../../test/fixtures/ics/', import.meta.url);
const samples = readdirSync(FIXTURES).filter((f) => f.endsWith('.ics')).map((f) => readFileSync(new URL(f, FIXTURES), 'utf8'));

function parsesOrQuarantines(text: string): void {
  try {
    parseCalendarObject(text);
  } catch (e) {
    if (!(e instanceof InvalidRemoteDataError)) throw e;
    assert.ok(e.message.length > 0);
  }
}

const vtz = (rule: string) =>
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VTIMEZONE\r\nTZID:Custom Zone\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n' +
  `RRULE:${rule}\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:z\r\nDTSTAMP:20260101T000000Z\r\n` +
  'DTSTART;TZID=Custom Zone:20261102T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

describe('ical fuzz', () => {
  it('ical.js#318: a time-zone rule that never matches is refused, not looped on', () => {
    for (const rule of ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=YEARLY;BYMONTH=2;BYDAY=5SU', 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31', 'FREQ=YEARLY;BYYEARDAY=400', 'FREQ=DAILY']) {
      assert.throws(() => parseCalendarObject(vtz(rule)), InvalidRemoteDataError, rule);
    }
    // Real-world shapes stay accepted, including the old "BYMONTHDAY=8..14;BYDAY=SU" spelling.
    for (const rule of ['FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8,9,10,11,12,13,14;BYDAY=SU', 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU;UNTIL=20060402T070000Z']) {
      assert.equal(parseCalendarObject(vtz(rule)).events.length, 1, rule);
    }
  });

  it('ical.js#509: an RRULE that never matches parses, and expansion stops within its budget', () => {
    const { events } = parseCalendarObject(
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20150111T080000Z\r\n' +
        'RRULE:FREQ=MONTHLY;BYDAY=1TH;BYSETPOS=2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    );
    const master = events[0]!;
    const occ = expandSeries({ master, overrides: [], calendarTimeZone: 'UTC', window: { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') } });
    assert.equal(occ.length, 0);
  });

  it('mutated fixtures either parse or are quarantined', () => {
    const mutation = fc.record({
      sample: fc.nat({ max: samples.length - 1 }),
      ops: fc.array(
        fc.record({ kind: fc.constantFrom('drop-line', 'dup-line', 'replace-char', 'insert', 'truncate'), at: fc.nat(), text: fc.string({ maxLength: 12 }) }),
        { minLength: 1, maxLength: 6 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ sample, ops }) => {
        let lines = samples[sample]!.split('\n');
        for (const op of ops) {
          const i = op.at % Math.max(lines.length, 1);
          const line = lines[i] ?? '';
          if (op.kind === 'drop-line') lines.splice(i, 1);
          else if (op.kind === 'dup-line') lines.splice(i, 0, line);
          else if (op.kind === 'replace-char') lines[i] = line.slice(0, op.at % (line.length + 1)) + op.text + line.slice((op.at % (line.length + 1)) + 1);
          else if (op.kind === 'insert') lines.splice(i, 0, op.text);
          else lines = lines.slice(0, i);
        }
        parsesOrQuarantines(lines.join('\n'));
      }),
      // R5 asks for ≥ 1,000,000 iterations: CALHUB_FUZZ_RUNS=1000000 for a long run.
      { numRuns: Number(process.env['CALHUB_FUZZ_RUNS'] ?? 3000) },
    );
  });

  it('arbitrary text either parses or is quarantined', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => parsesOrQuarantines(`BEGIN:VCALENDAR\r\n${s}\r\nEND:VCALENDAR`)), { numRuns: 2000 });
  });
});
