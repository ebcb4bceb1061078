/**
 * An outside report: RSVP on an event the calendar's owner organizes answered NOT_INVITED "the
 * calendar's owner is not among its attendees" — an organizer's copy need not list the organizer
 * as an attendee, so the owner read as left out of their own meeting. It says the owner organizes it.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { parseEvent } from '../shared/model/index.ts';
import { settle, writeUid } from '../sync-engine/index.ts';
import { memoryEnv, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { answerInvitation, answerOccurrence, openHub } from './index.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

test("RSVP on the owner's own meeting, the owner not listed among its attendees: NOT_INVITED saying the owner organizes it", async () => {
  env = await memoryEnv({ calendars: 1 });
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  const owner = (await t.accounts.list())[0]!.externalId;
  const at = (h: number) => ({ dateTime: `2026-12-17T${h}:00:00Z`, timeZone: 'UTC' });
  const mine = parseEvent({ uid: 'mine@calhub', title: 'Mine', start: at(10), end: at(11), organizer: { email: owner.toUpperCase() }, attendees: [{ email: 'cfo@corp.test' }], recurrence: { rrules: ['FREQ=DAILY;COUNT=2'] } });
  await writeUid(env.deps, env.tenantId, cal, mine.uid, [mine]);
  await settle(env.deps, env.tenantId, [cal]);
  const id = (await t.events.byUid(cal, mine.uid))[0]!.id;
  const hub = await openHub({ store: env.store, connect: env.deps.connect, logger: createLogger({ level: 'silent' }) });
  const refused = (e: unknown) => {
    assert.equal((e as { code?: string }).code, 'NOT_INVITED');
    assert.match((e as Error).message, /organized by the calendar's owner .*the organizer does not RSVP/);
    assert.doesNotMatch((e as Error).message, /not among its attendees/);
    return true;
  };
  await assert.rejects(answerInvitation(hub, env.tenantId, id, 'accepted'), refused);
  await assert.rejects(answerOccurrence(hub, env.tenantId, id, '2026-12-18T10:00:00Z', 'declined'), refused);
});
