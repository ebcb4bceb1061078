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

  it('a create answered 200 without a body finds the calendar it made by name: one calendar, no request for an undefined id', async () => {
    const logged = t.emu.control.requests().length;
    t.emu.control.injectFault({ status: 200, method: 'POST', pathPrefix: '/me/calendars', emptyBody: true });
    const made = await t.connector.createCalendar(t.ctx, { name: 'Lost answer', timeZone: null });
    assert.equal(made.name, 'Lost answer');
    assert.ok(made.providerCalendarId, 'the calendar found by its name carries its id');
    const named = (await t.connector.listCalendars(t.ctx)).filter((c) => c.name === 'Lost answer');
    assert.deepEqual(named.map((c) => c.providerCalendarId), [made.providerCalendarId], 'exactly one was made');
    assert.ok(!t.emu.control.requests().slice(logged).some((r) => r.path.includes('undefined')));
  });

  it('a rename answered 200 without a body keeps the calendar\'s id', async () => {
    const made = await t.connector.createCalendar(t.ctx, { name: 'To rename', timeZone: null });
    t.emu.control.injectFault({ status: 200, method: 'PATCH', pathPrefix: '/me/calendars', emptyBody: true });
    const renamed = await t.connector.renameCalendar(t.ctx, { providerCalendarId: made.providerCalendarId } as never, 'Renamed');
    assert.equal(renamed.providerCalendarId, made.providerCalendarId);
    assert.equal(renamed.name, 'Renamed');
  });
});
