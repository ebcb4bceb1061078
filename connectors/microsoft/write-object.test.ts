import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { occurrenceReachMs } from './write-object.ts';

const days = (ms: number) => ms / 86_400_000;

describe('how far an occurrence is looked for first around its original start', () => {
  it('one period of the rule and a day, at least two days', () => {
    assert.equal(days(occurrenceReachMs(['FREQ=DAILY'])), 2);
    assert.equal(days(occurrenceReachMs(['FREQ=DAILY;INTERVAL=2'])), 3);
    assert.equal(days(occurrenceReachMs(['FREQ=WEEKLY;BYDAY=MO'])), 8);
    assert.equal(days(occurrenceReachMs(['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE'])), 15);
    assert.equal(days(occurrenceReachMs(['FREQ=MONTHLY;BYMONTHDAY=1'])), 32);
    assert.equal(days(occurrenceReachMs(['FREQ=YEARLY'])), 367);
  });
  it('two days for what it cannot read', () => {
    assert.equal(days(occurrenceReachMs([])), 2);
    assert.equal(days(occurrenceReachMs(['FREQ=HOURLY'])), 2);
  });
});
