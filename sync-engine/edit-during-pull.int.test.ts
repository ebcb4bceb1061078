/**
 * A hub edit that reads the event while a pull is applying the provider's change of it, and writes
 * once the pull has committed (PostgreSQL, where the edit's read does not wait for the pull). The
 * edit must patch what the pull stored, not what it read before: built from the older read, it put
 * the provider's old value back and the push wrote it over the provider's edit (an Outlook room
 * reverted to the hub's, no conflict recorded).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { Store } from '../shared/store/index.ts';
import { pullCalendar } from './pull.ts';
import { pushCalendar } from './push.ts';
import { memoryEnv, sampleEvent } from './test-support/memory-env.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `t_edit_during_pull_${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: url });

before(() => admin.connect());
after(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema}_b CASCADE`);
  await admin.end();
});

/** Someone waits for a calendar row lock of this schema: the waiter holds the row's tuple lock. */
async function untilLockWaiter(): Promise<void> {
  for (;;) {
    const rows = await admin.query(`SELECT 1 FROM pg_locks WHERE locktype = 'tuple' AND granted AND relation = '${schema}.calendars'::regclass`);
    if (rows.rowCount) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a hub edit made while a pull applies the provider edit of the same event', () => {
  it('keeps both edits (different fields) at the provider and in the store, with no conflict', async () => {
    const store = await Store.open({ databaseUrl: url, schema });
    const env = await memoryEnv({ calendars: 1, store });
    try {
      const [cal, pcal] = [env.calendars[0]!, env.providerIds[0]!];
      const t = env.store.tenant(env.tenantId);
      const o = env.backend.put(pcal, null, [sampleEvent({ location: 'L0', description: 'd0' })]);
      await pullCalendar(env.deps, env.tenantId, cal);
      const [row] = await t.events.list(cal);
      env.backend.put(pcal, o.remoteId, [{ ...o.events[0]!, location: 'Outlook room' }]);

      // The pull holds the calendar lock (its fence runs in its transaction) until the edit waits for it.
      let held!: () => void;
      let release!: () => void;
      const holding = new Promise<void>((r) => (held = r));
      const released = new Promise<void>((r) => (release = r));
      const pulling = pullCalendar(env.deps, env.tenantId, cal, {
        fence: async (tx) => {
          await tx.events.lock(cal);
          held();
          await released;
        },
      });
      await holding;
      const editing = env.writer.update(env.tenantId, row!.id, { description: 'hub notes' });
      await untilLockWaiter();
      release();
      const pulled = await pulling;
      await editing;
      assert.equal(pulled.rewritten, 1);

      await pushCalendar(env.deps, env.tenantId, cal, 'run-push');
      const remote = env.backend.get(pcal, o.remoteId)!.events[0]!;
      assert.deepEqual([remote.location, remote.description], ['Outlook room', 'hub notes']);
      const stored = (await t.events.get(row!.id))!.event;
      assert.deepEqual([stored.location, stored.description], ['Outlook room', 'hub notes']);
      assert.deepEqual(await t.conflicts.list(), []);
      assert.equal(await t.outbox.any(cal), false);
    } finally {
      await env.close();
      await store.close();
    }
  });

  it('keeps both when the edit commits after the pull read the outbox, before the pull writes', async () => {
    const store = await Store.open({ databaseUrl: url, schema: `${schema}_b` });
    const env = await memoryEnv({ calendars: 1, store });
    try {
      const [cal, pcal] = [env.calendars[0]!, env.providerIds[0]!];
      const t = env.store.tenant(env.tenantId);
      const o = env.backend.put(pcal, null, [sampleEvent({ location: 'L0', description: 'd0' })]);
      await pullCalendar(env.deps, env.tenantId, cal);
      const [row] = await t.events.list(cal);
      env.backend.put(pcal, o.remoteId, [{ ...o.events[0]!, location: 'Outlook room' }]);

      // The pull has planned its page (no local change pending) and waits, in its transaction, before its write.
      let held!: () => void;
      let release!: () => void;
      const holding = new Promise<void>((r) => (held = r));
      const released = new Promise<void>((r) => (release = r));
      let fenced = 0;
      const pulling = pullCalendar(env.deps, env.tenantId, cal, {
        fence: async () => {
          if (++fenced > 1) return;
          held();
          await released;
        },
      });
      await holding;
      await env.writer.update(env.tenantId, row!.id, { description: 'hub notes' });
      release();
      await pulling;

      await pushCalendar(env.deps, env.tenantId, cal, 'run-push');
      const remote = env.backend.get(pcal, o.remoteId)!.events[0]!;
      assert.deepEqual([remote.location, remote.description], ['Outlook room', 'hub notes']);
      const stored = (await t.events.get(row!.id))!.event;
      assert.deepEqual([stored.location, stored.description], ['Outlook room', 'hub notes']);
      assert.deepEqual(await t.conflicts.list(), []);
    } finally {
      await env.close();
      await store.close();
    }
  });
});
