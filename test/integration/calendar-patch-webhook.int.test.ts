/**
 * PATCH /v1/calendars/:id changing several fields against the Google emulator: the rename goes to
 * Google, and the tenant's endpoint is owed one calendar.updated naming every field that changed
 * (it was one message per field, none saying what changed).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { composeWebhooks } from '../../shared/store/index.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

let google: RunningGoogleEmulator;
let store: Store;
before(async () => {
  google = await startGoogleEmulator();
  store = await openTestStore();
  await store.migrate();
});
after(async () => {
  await store.close();
  await google.close();
});

it('a rename, a busy choice and the sync switched off in one PATCH: one calendar.updated naming the three', async () => {
  const env = await googleModelEnv(google, store);
  const { app, call } = await apiOver<{ name: string; error?: unknown }>(env);
  const t = store.tenant(env.tenantId);
  await t.webhooks.create({ url: 'https://example.com/hook', eventTypes: ['calendar.updated'], encryptedSecret: 'x' });
  const cal = env.calendars[1]!;
  const r = await call('PATCH', `/v1/calendars/${cal}`, { name: 'Renamed', countsForBusy: false, syncEnabled: false });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.name, 'Renamed');
  await composeWebhooks(store.db, { now: new Date() });
  const sent = await store.db.query<{ type: string; payload: { data: { calendarId: string; changed: string[]; calendar: { name: string } } } }>(
    'SELECT type, payload FROM webhook_messages WHERE tenant_id = $1 ORDER BY seq',
    [env.tenantId],
  );
  assert.deepEqual(
    sent.map((m) => [m.type, m.payload.data.calendarId, m.payload.data.changed, m.payload.data.calendar.name]),
    [['calendar.updated', cal, ['name', 'countsForBusy', 'syncEnabled'], 'Renamed']],
  );
  await app.close();
});
