import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStoreContract } from './store.contract.ts';
import { Store } from './store.ts';
import { sendUpdatesByKeyOf, sendUpdatesOf } from './sync-repo.ts';

runStoreContract('PGlite (in memory)', () => Store.open({ dataDir: null }));

test('every migration file has its own version number', async () => {
  const { migrationFiles } = await import('./migrate.ts');
  const versions = migrationFiles().map((m) => m.version);
  assert.equal(new Set(versions).size, versions.length);
});

test('a store migrated by a newer calhub is refused by name, not run on a schema this one does not know', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate();
    await store.db.query(`INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_from_the_future.sql')`);
    await assert.rejects(store.migrate(), (e: Error) => e.name === 'SchemaNewerError' && /9999_from_the_future\.sql/.test(e.message) && /newer calhub/.test(e.message));
  } finally {
    await store.close();
  }
});

test('migration 0010 carries the per-occurrence busy rows over as one multirange per event row', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate({ upTo: 9 });
    const { tenant } = await store.tenants.create('old');
    const acc = await store.tenant(tenant.id).accounts.upsert({ provider: 'memory', externalId: 'old@example.com' });
    const cal = await oldCalendar(store, tenant.id, acc.id);
    await store.db.query(
      `INSERT INTO busy_intervals (calendar_id, tenant_id, uid, event_key, span, status) VALUES
         ($1, $2, 'u', '', tstzrange('2026-11-20T08:00Z', '2026-11-20T09:00Z'), 'busy'),
         ($1, $2, 'u', '', tstzrange('2026-11-20T09:00Z', '2026-11-20T10:00Z'), 'busy'),
         ($1, $2, 'u', '', tstzrange('2026-11-21T08:00Z', '2026-11-21T09:00Z'), 'busy'),
         ($1, $2, 'u', '2026-11-22T08:00:00Z', tstzrange('2026-11-22T12:00Z', '2026-11-22T13:00Z'), 'tentative')`,
      [cal!.id, tenant.id],
    );
    assert.deepEqual(await store.migrate({ upTo: 10 }), ['0010_busy_spans.sql']);
    const got = await store.tenant(tenant.id).busy([cal!.id], new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    assert.deepEqual(
      got.map((b) => [b.start.toISOString(), b.end.toISOString(), b.status, b.eventKey]),
      [
        ['2026-11-20T08:00:00.000Z', '2026-11-20T10:00:00.000Z', 'busy', ''],
        ['2026-11-21T08:00:00.000Z', '2026-11-21T09:00:00.000Z', 'busy', ''],
        ['2026-11-22T12:00:00.000Z', '2026-11-22T13:00:00.000Z', 'tentative', '2026-11-22T08:00:00Z'],
      ],
    );
    assert.equal((await store.db.query(`SELECT 1 FROM pg_tables WHERE tablename = 'busy_intervals'`)).length, 0);
  } finally {
    await store.close();
  }
});

// An entry queued before the per-occurrence record has none: the push then writes every object
// with the entry's widest sendUpdates, as it did when the entry was made.
test('migration 0026 leaves a pending outbox entry its sendUpdates and an empty per-occurrence record', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate({ upTo: 25 });
    const { tenant } = await store.tenants.create('old');
    const acc = await store.tenant(tenant.id).accounts.upsert({ provider: 'memory', externalId: 'old@example.com' });
    const cal = await oldCalendar(store, tenant.id, acc.id);
    await store.db.query(`INSERT INTO outbox (calendar_id, tenant_id, uid, op, send_updates) VALUES ($1, $2, 'u', 'put', 2)`, [cal!.id, tenant.id]);
    assert.deepEqual(await store.migrate({ upTo: 26 }), ['0026_outbox_send_updates_by_occurrence.sql']);
    // Plain SQL, as the outbox repo's statements name columns of later migrations (0081 refused_at).
    const [entry] = await store.db.query<{ send_updates: number | null; send_updates_by_key: Record<string, number> | string }>('SELECT send_updates, send_updates_by_key FROM outbox WHERE calendar_id = $1', [cal!.id]);
    assert.deepEqual([sendUpdatesOf(entry!.send_updates), sendUpdatesByKeyOf(entry!.send_updates_by_key)], ['all', {}]);
  } finally {
    await store.close();
  }
});

// Plain SQL: the calendar repo's statements name columns of later migrations than these schemas'.
async function oldCalendar(store: Store, tenantId: string, accountId: string): Promise<{ id: string }> {
  await store.db.query(`INSERT INTO calendars (id, tenant_id, account_id, provider_calendar_id, name) VALUES ('cal_old', $1, $2, 'p', 'P')`, [tenantId, accountId]);
  return { id: 'cal_old' };
}
