/**
 * renameCalendar's Google-only cases against the emulator: a calendar someone else owns, a user's
 * own label (summaryOverride) on the renamed calendar, and calhub's calendar.app.created grant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connector.ts';
import { InsufficientScopeError, UnsupportedError } from '../errors.ts';
import { makeGoogleHarness, type GoogleTestSetup } from './test-support.ts';

const G = 'https://www.googleapis.com/auth/';
/** What calhub's readwrite grant asks for (oauth/providers.ts). */
const CALHUB_SCOPES = [`${G}calendar.readonly`, `${G}calendar.events`, `${G}calendar.app.created`].join(' ');

describe('google renameCalendar', () => {
  let t: GoogleTestSetup;
  before(async () => {
    t = await makeGoogleHarness();
  });
  after(() => t.cleanup());
  const ref = (id: string) => ({ providerCalendarId: id, timeZone: 'UTC' });

  it('a calendar shared with the account but owned by someone else is refused as not-calendar-owner, nothing sent', async () => {
    const { id } = t.control.createCalendar({ ownerEmail: 'bob@example.com', summary: 'Team' });
    t.control.shareCalendar(id, t.email, 'writer');
    await assert.rejects(t.connector.renameCalendar(t.ctx, ref(id), 'Mine'), (e: unknown) => e instanceof UnsupportedError && e.reason === 'not-calendar-owner');
    assert.equal((await t.connector.listCalendars(t.ctx)).find((c) => c.providerCalendarId === id)?.name, 'Team');
    assert.ok(!t.control.requests().some((r) => r.method === 'PATCH'), 'nothing was sent to rename it');
  });

  it('a user\u2019s summaryOverride stays: the calendar\u2019s summary changes, the list (and the answer) keep the label', async () => {
    const made = await t.connector.createCalendar(t.ctx, { name: 'Bookings', timeZone: 'UTC' });
    t.control.setSummaryOverride(made.providerCalendarId, t.email, 'My bookings');
    const renamed = await t.connector.renameCalendar(t.ctx, ref(made.providerCalendarId), 'Appointments');
    assert.equal(renamed.name, 'My bookings');
    assert.deepEqual([made, renamed].map((c) => c.accessRole), ['owner', 'owner']);
    t.control.setSummaryOverride(made.providerCalendarId, t.email, null);
    assert.equal((await t.connector.listCalendars(t.ctx)).find((c) => c.providerCalendarId === made.providerCalendarId)?.name, 'Appointments');
  });

  it('with calhub\u2019s scopes it renames the calendars it made, and no other (InsufficientScopeError)', async () => {
    const { accessToken } = t.control.issueGrant({ email: t.email, scope: CALHUB_SCOPES, clientId: 'calhub' });
    const ctx: ConnectorContext = { ...t.ctx, credentials: { kind: 'oauth', getAccessToken: async () => accessToken } };
    const made = await t.connector.createCalendar(ctx, { name: 'Bookings', timeZone: 'UTC' });
    const elsewhere = t.control.createCalendar({ ownerEmail: t.email, summary: 'Made in the Google UI' });
    await assert.rejects(t.connector.renameCalendar(ctx, ref(elsewhere.id), 'x'), InsufficientScopeError);
    assert.equal((await t.connector.renameCalendar(ctx, ref(made.providerCalendarId), 'Bookings 2')).name, 'Bookings 2');
  });
});
