/**
 * deleteCalendar's Google-only refusals against the emulator: a calendar someone else owns, and
 * calhub's own grant (calendar.app.created) meeting a calendar the user made elsewhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connector.ts';
import { InsufficientScopeError, UnsupportedError } from '../errors.ts';
import { makeGoogleHarness, type GoogleTestSetup } from './test-support.ts';

const G = 'https://www.googleapis.com/auth/';
/** What calhub's readwrite grant asks for (oauth/providers.ts). */
const CALHUB_SCOPES = [`${G}calendar.readonly`, `${G}calendar.events`, `${G}calendar.app.created`].join(' ');

describe('google deleteCalendar: refusals', () => {
  let t: GoogleTestSetup;
  before(async () => {
    t = await makeGoogleHarness();
  });
  after(() => t.cleanup());

  it('a calendar shared with the account but owned by someone else is refused as not-calendar-owner and stays', async () => {
    const { id } = t.control.createCalendar({ ownerEmail: 'bob@example.com', summary: 'Team' });
    t.control.shareCalendar(id, t.email, 'writer');
    await assert.rejects(
      t.connector.deleteCalendar(t.ctx, { providerCalendarId: id, timeZone: 'UTC' }),
      (e: unknown) => e instanceof UnsupportedError && e.reason === 'not-calendar-owner',
    );
    assert.ok((await t.connector.listCalendars(t.ctx)).some((c) => c.providerCalendarId === id));
    assert.ok(!t.control.requests().some((r) => r.method === 'DELETE'), 'nothing was sent to delete it');
  });

  it('with calhub\'s scopes it deletes the calendars it made, and no other (InsufficientScopeError)', async () => {
    const { accessToken } = t.control.issueGrant({ email: t.email, scope: CALHUB_SCOPES, clientId: 'calhub' });
    const ctx: ConnectorContext = { ...t.ctx, credentials: { kind: 'oauth', getAccessToken: async () => accessToken } };
    const made = await t.connector.createCalendar(ctx, { name: 'Bookings', timeZone: 'UTC' });
    const elsewhere = t.control.createCalendar({ ownerEmail: t.email, summary: 'Made in the Google UI' });
    await assert.rejects(t.connector.deleteCalendar(ctx, { providerCalendarId: elsewhere.id, timeZone: 'UTC' }), InsufficientScopeError);
    await t.connector.deleteCalendar(ctx, { providerCalendarId: made.providerCalendarId, timeZone: 'UTC' });
    assert.ok(!(await t.connector.listCalendars(ctx)).some((c) => c.providerCalendarId === made.providerCalendarId));
  });
});
