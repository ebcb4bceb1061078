/**
 * A write made with a signal already aborted (a run whose budget ran out, or a worker shutting
 * down, between two requests). On Node, gaxios sends through node-fetch, which then destroys the
 * request's body stream with an error nobody listens for: an uncaught exception that ended the
 * process (seen in healthy-push-beside-backoff.int at a worker's close). It must be a rejection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connector.ts';
import { makeGoogleHarness, type GoogleTestSetup } from './test-support.ts';

describe('google: a write with an aborted signal', () => {
  let t: GoogleTestSetup;
  before(async () => {
    t = await makeGoogleHarness();
  });
  after(() => t.cleanup());

  it('rejects without sending, and nothing is thrown outside the call', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => void uncaught.push(e);
    process.prependListener('uncaughtException', onUncaught);
    try {
      const made = await t.connector.createCalendar(t.ctx, { name: 'Aborted writes', timeZone: 'UTC' });
      const ac = new AbortController();
      ac.abort(new Error('the run budget is spent'));
      const ctx: ConnectorContext = { ...t.ctx, signal: ac.signal };
      const before = t.control.requests().length;
      await assert.rejects(t.connector.createCalendar(ctx, { name: 'never', timeZone: 'UTC' }));
      await assert.rejects(t.connector.deleteCalendar(ctx, { providerCalendarId: made.providerCalendarId, timeZone: 'UTC' }));
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(uncaught.map(String), [], 'no error escaped the calls');
      assert.equal(t.control.requests().length, before, 'nothing was sent');
    } finally {
      process.removeListener('uncaughtException', onUncaught);
    }
  });
});
