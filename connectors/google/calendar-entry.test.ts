import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toRemoteCalendar } from './calendar-entry.ts';

const entry = (accessRole: string | undefined) => ({ id: 'team@group.calendar.google.com', summary: 'Team', timeZone: 'UTC', ...(accessRole ? { accessRole } : {}) });

describe('toRemoteCalendar (calendarList entry → RemoteCalendar)', () => {
  it("carries Google's accessRole as it is: a writer is no owner, a free/busy reader no reader", () => {
    const got = ['owner', 'writer', 'reader', 'freeBusyReader'].map((r) => toRemoteCalendar(entry(r)));
    assert.deepEqual(got.map((c) => [c.accessRole, c.readOnly]), [['owner', false], ['writer', false], ['reader', true], ['freeBusyReader', true]]);
  });

  it('an entry without a role Google documents is read-only, never owned', () => {
    for (const r of [undefined, 'none', 'admin']) assert.deepEqual([toRemoteCalendar(entry(r)).accessRole, toRemoteCalendar(entry(r)).readOnly], ['reader', true], String(r));
  });
});
