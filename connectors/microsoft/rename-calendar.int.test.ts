/** renameCalendar's Graph-only cases against the emulator: a calendar shared into the mailbox, a name the mailbox has. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PreconditionFailedError, UnsupportedError } from '../errors.ts';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

describe('microsoft renameCalendar', () => {
  let t: MicrosoftTestbed;
  before(async () => {
    t = await startMicrosoftTestbed();
  });
  after(() => t.emu.close());
  const ref = (id: string) => ({ providerCalendarId: id, timeZone: 'UTC' });

  it('a calendar the mailbox cannot edit (shared in) is refused as not-calendar-owner, nothing sent', async () => {
    const shared = t.emu.control.createCalendar({ userId: t.userId, name: 'Boss', canEdit: false });
    await assert.rejects(t.connector.renameCalendar(t.ctx, ref(shared.id), 'Mine'), (e: unknown) => e instanceof UnsupportedError && e.reason === 'not-calendar-owner');
    assert.ok(!t.emu.control.requests().some((r) => r.method === 'PATCH'), 'nothing was sent to rename it');
  });

  it('a name the mailbox has already is PreconditionFailedError (409 ErrorFolderExists) and changes nothing', async () => {
    const a = await t.connector.createCalendar(t.ctx, { name: 'Alpha', timeZone: null });
    await t.connector.createCalendar(t.ctx, { name: 'Beta', timeZone: null });
    await assert.rejects(t.connector.renameCalendar(t.ctx, ref(a.providerCalendarId), 'beta'), (e: unknown) => e instanceof PreconditionFailedError && e.reason === 'ErrorFolderExists');
    assert.equal((await t.connector.listCalendars(t.ctx)).find((c) => c.providerCalendarId === a.providerCalendarId)?.name, 'Alpha');
  });
});
