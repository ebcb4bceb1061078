import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../shared/model/index.ts';
import { localToUtcMs } from '../shared/time/index.ts';
import { patternToRrule, rrulesToPattern, type SeriesAnchor } from '../connectors/microsoft/map-recurrence.ts';
import { explicitRRule, sameCopy } from './mirror-recurrence.ts';

const monday = { dateTime: '2026-12-14T08:00:00Z', timeZone: 'Europe/Berlin' };

describe('mirror copies: recurrence compared by meaning', () => {
  it('spells out what a rule takes from its start', () => {
    assert.equal(explicitRRule('FREQ=WEEKLY;COUNT=6', monday), explicitRRule('FREQ=WEEKLY;BYDAY=MO;COUNT=6', monday));
    // The weekday is the start's in its own zone: 23:30Z on a Sunday is Monday in Berlin.
    assert.equal(explicitRRule('FREQ=WEEKLY', { dateTime: '2026-12-13T23:30:00Z', timeZone: 'Europe/Berlin' }), 'FREQ=WEEKLY;BYDAY=MO');
    assert.equal(explicitRRule('FREQ=MONTHLY;COUNT=3', { date: '2026-12-14' }), 'FREQ=MONTHLY;BYMONTHDAY=14;COUNT=3');
    assert.equal(explicitRRule('FREQ=YEARLY', { date: '2026-12-14' }), 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14');
    assert.equal(explicitRRule('FREQ=WEEKLY;INTERVAL=1;BYDAY=WE,MO;WKST=SU', monday), 'FREQ=WEEKLY;BYDAY=MO,WE');
    assert.equal(explicitRRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;WKST=SU', monday), 'FREQ=WEEKLY;BYDAY=MO;INTERVAL=2;WKST=SU');
  });
  it('reads UNTIL as the last occurrence it lets in', () => {
    // Google's "ends on 31 Jan" (Berlin) and Graph's read-back of its endDate (that day at the start time).
    assert.equal(explicitRRule('FREQ=WEEKLY;UNTIL=20270131T225959Z', monday), explicitRRule('FREQ=WEEKLY;BYDAY=MO;UNTIL=20270131T080000Z', monday));
    assert.equal(explicitRRule('FREQ=WEEKLY;UNTIL=20270131T225959Z', monday), 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20270131T080000Z');
    // An UNTIL before that day's start lets in the day before only.
    assert.equal(explicitRRule('FREQ=DAILY;UNTIL=20270131T000000Z', monday), 'FREQ=DAILY;UNTIL=20270130T080000Z');
    assert.notEqual(explicitRRule('FREQ=DAILY;UNTIL=20270131T080000Z', monday), explicitRRule('FREQ=DAILY;UNTIL=20270131T075959Z', monday));
    assert.equal(explicitRRule('FREQ=DAILY;UNTIL=20270131T120000Z', { date: '2026-12-14' }), 'FREQ=DAILY;UNTIL=20270131');
  });
  it('keeps rules that mean something else apart', () => {
    assert.notEqual(explicitRRule('FREQ=WEEKLY;COUNT=6', monday), explicitRRule('FREQ=WEEKLY;BYDAY=TU;COUNT=6', monday));
    assert.notEqual(explicitRRule('FREQ=MONTHLY', monday), explicitRRule('FREQ=MONTHLY;BYDAY=2MO', monday));
    assert.notEqual(explicitRRule('FREQ=WEEKLY;COUNT=6', monday), explicitRRule('FREQ=WEEKLY;COUNT=5', monday));
  });
  it('a Google series copy read back from Graph is the copy wanted; a real change is not', () => {
    const copy = (rrule: string, title = 'Busy') => parseEvent({ uid: 'c@calhub', title, start: monday, end: { dateTime: '2026-12-14T08:30:00Z', timeZone: 'Europe/Berlin' }, recurrence: { rrules: [rrule] } });
    assert.ok(sameCopy([copy('FREQ=WEEKLY;BYDAY=MO;COUNT=6')], [copy('FREQ=WEEKLY;COUNT=6')]));
    assert.ok(!sameCopy([copy('FREQ=WEEKLY;BYDAY=MO;COUNT=6')], [copy('FREQ=WEEKLY;COUNT=7')]));
    assert.ok(!sameCopy([copy('FREQ=WEEKLY;COUNT=6')], [copy('FREQ=WEEKLY;COUNT=6', 'Other')]));
  });

  // What Graph hands back for each rule calhub writes to it (connectors/microsoft/map-recurrence.ts):
  // a spelling of the same series must compare equal, or every run PATCHes the copy again.
  const graphSpellings: Array<[string, string, string, boolean]> = [
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1', '2026-11-30T09:00:00', 'Europe/Berlin', false],
    ['FREQ=MONTHLY;BYDAY=TU,MO;BYSETPOS=2;COUNT=4', '2026-11-03T09:00:00', 'Europe/Berlin', false],
    ['FREQ=YEARLY;BYMONTH=11;BYDAY=TH;BYSETPOS=4', '2026-11-26T09:00:00', 'America/Los_Angeles', false],
    ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=7', '2026-11-02T09:00:00', 'Europe/Berlin', false],
    ['FREQ=DAILY;UNTIL=20270131', '2027-01-27T08:00:00', 'Pacific/Auckland', false],
    ['FREQ=DAILY;UNTIL=20270131T070000', '2027-01-27T09:00:00', 'Europe/Berlin', false],
    ['FREQ=DAILY;UNTIL=20270131T120000Z', '2027-01-27T00:00:00', 'Pacific/Auckland', true],
    ['FREQ=WEEKLY;BYDAY=SU;UNTIL=20270131T050000Z', '2027-01-03T00:00:00', 'America/Los_Angeles', true],
  ];
  for (const [rule, localStart, zone, allDay] of graphSpellings) {
    it(`a copy of ${rule} read back from Graph compares equal`, () => {
      const a: SeriesAnchor = { localStart, zone, allDay };
      const start = allDay ? { date: localStart.slice(0, 10) } : { dateTime: new Date(localToUtcMs(localStart, zone)).toISOString(), timeZone: zone };
      const back = patternToRrule(rrulesToPattern([rule], 0, a, zone), a);
      assert.equal(explicitRRule(back, start), explicitRRule(rule, start), `Graph spells it ${back}`);
    });
  }
  it('keeps a changed last day apart after respelling', () => {
    const start = { dateTime: '2027-01-26T19:00:00Z', timeZone: 'Pacific/Auckland' };
    assert.notEqual(explicitRRule('FREQ=DAILY;UNTIL=20270131', start), explicitRRule('FREQ=DAILY;UNTIL=20270130', start));
    assert.notEqual(explicitRRule('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1', monday), explicitRRule('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1', monday));
  });
});
