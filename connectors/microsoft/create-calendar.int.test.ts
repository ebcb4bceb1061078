/** createCalendar on Graph, whose calendars take the mailbox's zone: another zone asked for is refused before anything is made. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../shared/errors.ts';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

describe('microsoft createCalendar and time zones', () => {
  let t: MicrosoftTestbed;
  before(async () => {
    t = await startMicrosoftTestbed({ timeZone: 'America/Los_Angeles' });
  });
  after(() => t.emu.close());
  const posts = () => t.emu.control.requests().filter((r) => r.method === 'POST').length;

  it('a zone other than the mailbox\'s is a ValidationError naming both, and no calendar is made', async () => {
    const before = posts();
    await assert.rejects(
      t.connector.createCalendar(t.ctx, { name: 'Bookings', timeZone: 'Europe/Berlin' }),
      (e: unknown) => e instanceof ValidationError && /mailbox's, America\/Los_Angeles, not Europe\/Berlin/.test(e.message),
    );
    assert.equal(posts(), before, 'nothing was posted');
    assert.ok(!(await t.connector.listCalendars(t.ctx)).some((c) => c.name === 'Bookings'));
  });

  it('the mailbox\'s own zone, or none, makes the calendar in the mailbox\'s zone', async () => {
    assert.equal((await t.connector.createCalendar(t.ctx, { name: 'Same zone', timeZone: 'America/Los_Angeles' })).timeZone, 'America/Los_Angeles');
    assert.equal((await t.connector.createCalendar(t.ctx, { name: 'No zone', timeZone: null })).timeZone, 'America/Los_Angeles');
  });
});
