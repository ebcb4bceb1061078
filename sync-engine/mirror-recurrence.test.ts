import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../shared/model/index.ts';
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
});
