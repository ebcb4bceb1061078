/**
 * Pull on PostgreSQL, where each fetched-ahead page is made (rows, busy spans) while the page
 * before it is written: the store ends as a pull on PGlite (nothing made ahead) leaves it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { Store } from '../shared/store/index.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `t_pull_ahead_${process.pid}_${Date.now().toString(36)}`;

after(async () => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

/** 120 objects over 5 pages: singles, weekly series, and overrides stored as objects of their own. */
function fill(env: MemoryEnv): void {
  const id = env.providerIds[0]!;
  for (let i = 0; i < 100; i++) {
    if (i % 5 === 0) {
      const master = sampleEvent({ title: `series ${i}`, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [], rdates: [] } });
      env.backend.put(id, null, [master]);
      if (i % 10 === 0) {
        const at = Date.parse((master.start as { dateTime: string }).dateTime) + 7 * 86_400_000;
        const moved = (ms: number) => ({ dateTime: new Date(ms).toISOString().slice(0, 19) + 'Z', timeZone: 'UTC' });
        env.backend.put(id, null, [{ ...master, recurrence: null, originalStart: moved(at), start: moved(at + 3_600_000), end: moved(at + 7_200_000), title: `moved ${i}` }]);
      }
    } else env.backend.put(id, null, [sampleEvent({ title: `single ${i}` })]);
  }
}

async function snapshot(env: MemoryEnv) {
  const t = env.store.tenant(env.tenantId);
  const cal = env.calendars[0]!;
  const events = (await t.events.list(cal)).map((r) => `${r.remoteId} ${r.event.uid} ${r.event.title} ${r.contentHash}`).sort();
  const busy = (await t.busy([cal], new Date('2026-01-01T00:00:00Z'), new Date('2028-01-01T00:00:00Z'))).map((s) => `${s.uid} ${s.eventKey} ${s.start.toISOString()} ${s.end.toISOString()} ${s.status}`).sort();
  const hashes = (await env.store.db.query<{ h: string }>('SELECT busy_hash AS h FROM events WHERE calendar_id = $1 ORDER BY uid, original_start_key', [cal])).map((r) => r.h);
  return { events, busy, hashes };
}

describe('pull with pages made ahead (PostgreSQL)', () => {
  it('stores the same events, busy spans and busy digests as a pull on PGlite', async () => {
    const server = await Store.open({ databaseUrl: url, schema });
    const onServer = await memoryEnv({ calendars: 1, store: server });
    const onLite = await memoryEnv({ calendars: 1 });
    try {
      fill(onServer);
      // The same objects, under the same remote ids, on the other side.
      for (const o of onServer.backend.list(onServer.providerIds[0]!)) onLite.backend.put(onLite.providerIds[0]!, o.remoteId, o.events);
      // Both stores fix their horizon before the pull, so digests can be compared.
      for (const env of [onServer, onLite]) await env.store.db.query(`INSERT INTO busy_horizons (calendar_id, start_at, end_at) VALUES ($1, '2026-01-01', '2028-01-01')`, [env.calendars[0]]);
      await settle(onServer.deps, onServer.tenantId, onServer.calendars);
      await settle(onLite.deps, onLite.tenantId, onLite.calendars);
      const a = await snapshot(onServer);
      const b = await snapshot(onLite);
      assert.equal(a.events.length, 110);
      assert.equal(a.busy.length, 80 + 20 * 6);
      assert.deepEqual(a, b);
    } finally {
      await onServer.close();
      await server.close();
      await onLite.close();
    }
  });
});
