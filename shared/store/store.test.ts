import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStoreContract } from './store.contract.ts';
import { Store } from './store.ts';

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
    const [cal] = await store.tenant(tenant.id).calendars.upsertMany(acc.id, [{ providerCalendarId: 'p', name: 'P', timeZone: 'UTC', color: null, readOnly: false }]);
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
    const [cal] = await store.tenant(tenant.id).calendars.upsertMany(acc.id, [{ providerCalendarId: 'p', name: 'P', timeZone: 'UTC', color: null, readOnly: false }]);
    await store.db.query(`INSERT INTO outbox (calendar_id, tenant_id, uid, op, send_updates) VALUES ($1, $2, 'u', 'put', 2)`, [cal!.id, tenant.id]);
    assert.deepEqual(await store.migrate({ upTo: 26 }), ['0026_outbox_send_updates_by_occurrence.sql']);
    const [entry] = await store.tenant(tenant.id).outbox.pending(cal!.id);
    assert.deepEqual([entry?.sendUpdates, entry?.sendUpdatesByKey], ['all', {}]);
  } finally {
    await store.close();
  }
});

// Rows stored as jsonb before 0044 get the columns reads filter by from their data, in the pass
// that turns data into json; the reads then find them by those columns.
test('migration 0044 fills status, start, end and recurrence columns from the stored rows and keeps data readable', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate({ upTo: 43 });
    const { tenant } = await store.tenants.create('old');
    const acc = await store.tenant(tenant.id).accounts.upsert({ provider: 'memory', externalId: 'old@example.com' });
    const [cal] = await store.tenant(tenant.id).calendars.upsertMany(acc.id, [{ providerCalendarId: 'p', name: 'P', timeZone: 'UTC', color: null, readOnly: false }]);
    const rows = [
      ['evt_a', 'series', { title: 'Weekly', status: 'confirmed', start: { dateTime: '2026-01-05T09:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-01-05T10:00:00Z', timeZone: 'Europe/Berlin' }, recurrence: { rrule: ['FREQ=WEEKLY'] } }],
      ['evt_b', 'holiday', { title: 'Off', status: 'cancelled', start: { date: '2026-11-20' }, end: { date: '2026-11-21' }, recurrence: null }],
      ['evt_c', 'floating', { title: 'Wall clock', status: 'tentative', start: { local: '2026-10-01T08:00:00' }, end: { local: '2026-10-01T09:00:00' }, recurrence: null }],
    ] as const;
    for (const [id, uid, data] of rows) {
      await store.db.query(`INSERT INTO events (id, tenant_id, calendar_id, uid, data, content_hash) VALUES ($1, $2, $3, $4, $5::jsonb, 'h')`, [id, tenant.id, cal!.id, uid, JSON.stringify(data)]);
    }
    assert.deepEqual(await store.migrate({ upTo: 44 }), ['0044_events_data_json.sql']);
    const got = await store.db.query<{ id: string; status: string; start_text: string; end_text: string; recurring: boolean; data: { title: string } }>(
      'SELECT id, status, start_text, end_text, recurring, data FROM events ORDER BY id',
    );
    assert.deepEqual(got.map((r) => [r.id, r.status, r.start_text, r.end_text, r.recurring, r.data.title]), [
      ['evt_a', 'confirmed', '2026-01-05T09:00:00Z', '2026-01-05T10:00:00Z', true, 'Weekly'],
      ['evt_b', 'cancelled', '2026-11-20', '2026-11-21', false, 'Off'],
      ['evt_c', 'tentative', '2026-10-01T08:00:00', '2026-10-01T09:00:00', false, 'Wall clock'],
    ]);
    const { eventsForWindow, pageEvents } = await import('./event-queries.ts');
    const inNovember = await eventsForWindow(store.db, tenant.id, cal!.id, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    assert.deepEqual(inNovember.map((e) => e.id), ['evt_b', 'evt_a']);
    const cancelled = await pageEvents(store.db, tenant.id, cal!.id, null, 10, { status: ['cancelled'] });
    assert.deepEqual(cancelled.map((e) => e.id), ['evt_b']);
    const byText = await pageEvents(store.db, tenant.id, cal!.id, null, 10, { text: 'wall' });
    assert.deepEqual(byText.map((e) => e.id), ['evt_c']);
  } finally {
    await store.close();
  }
});
