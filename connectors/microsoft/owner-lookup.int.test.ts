/**
 * The mailbox address (the owner's own attendee entry) is looked up once per access token, not
 * once per job: the hub makes a new connector and new credentials for every pull, and a cache per
 * credentials object had every Microsoft pull ask GET /me first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext, SyncCursor } from '../connector.ts';
import { createMicrosoftConnector } from './microsoft.connector.ts';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

describe('microsoft owner lookup', () => {
  let t: MicrosoftTestbed;
  before(async () => (t = await startMicrosoftTestbed()));
  after(() => t.emu.close());

  it('several pulls, each with its own connector and credentials, ask /me once per access token', async () => {
    const meCalls = () => t.emu.control.requests().filter((r) => r.path === '/v1.0/me' || r.path === '/me').length;
    const deltaCalls = () => t.emu.control.requests().filter((r) => r.path.includes('/delta')).length;
    const job = (token: string): ConnectorContext => ({ ...t.ctx, credentials: { kind: 'oauth', getAccessToken: async () => token } });
    const [meBefore, deltaBefore] = [meCalls(), deltaCalls()];
    const token = t.token();
    let cursor: SyncCursor | null = null;
    for (let i = 0; i < 4; i++) {
      const connector = createMicrosoftConnector({ baseUrl: t.emu.url });
      const page = await connector.listChanges(job(token), t.calendar, cursor);
      cursor = page.nextCursor;
    }
    assert.ok(deltaCalls() - deltaBefore >= 4, 'four pulls read the delta');
    assert.equal(meCalls() - meBefore, 1, 'one /me for the four pulls');
    // A new access token (an hourly refresh) asks again: the mailbox may be another's grant now.
    const other = t.emu.control.issueToken({ userId: t.userId, clientId: 'calhub-tests', scopes: ['Calendars.Read', 'User.Read'] }).accessToken;
    await createMicrosoftConnector({ baseUrl: t.emu.url }).listChanges(job(other), t.calendar, cursor);
    assert.equal(meCalls() - meBefore, 2);
  });
});
