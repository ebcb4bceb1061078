import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { revertText } from './runs.ts';

const item = { calendarId: 'cal_1', uid: 'u1@x', occurrence: '', eventId: 'evt_1', title: 'Review' };

describe('runs revert: what it left, in words', () => {
  it('names exactly the fields changed since, and the run\'s start kept with a changed end', () => {
    const text = revertText({
      runId: 'run-1',
      writes: 2,
      queued: [],
      skipped: [
        { ...item, reason: 'changed-since', fields: ['end'], keptWith: ['start'] },
        { ...item, uid: 'u2@x', reason: 'changed-since', fields: ['location'], keptWith: [] },
        { ...item, uid: 'u3@x', reason: 'quarantined', fields: ['title'], keptWith: [] },
      ],
      alreadyUndone: 0,
      calendars: { cal_1: 'Work' },
    });
    assert.deepEqual(text.split('\n').slice(1), [
      '3 left as they are now:',
      '  Work: "Review" (u1@x): end changed since the run (start kept with it: start and end go back together)',
      '  Work: "Review" (u2@x): location changed since the run',
      '  Work: "Review" (u3@x): title not put back: its item at the provider is quarantined (unreadable)',
    ]);
  });
});
