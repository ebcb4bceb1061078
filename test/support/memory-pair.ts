/**
 * What the mirror-rule tests on the memory connector share: a tenant with two accounts, `src` and
 * `dst`, each holding one calendar (`src-cal`, `dst-cal` in the backend), and a few meetings in
 * the source. Syncing them is left to the test: it knows its hub.
 */
import type { MemoryBackend } from '../../connectors/memory/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { sampleEvent } from '../../sync-engine/test-support/memory-env.ts';

export interface MemoryPair {
  tenantId: string;
  src: string;
  dst: string;
  srcAccount: string;
  dstAccount: string;
}

export async function memoryPair(store: Store, backend: MemoryBackend, tenantName: string, meetings: number): Promise<MemoryPair> {
  const tenantId = (await store.tenants.create(tenantName)).tenant.id;
  const t = store.tenant(tenantId);
  const pair: MemoryPair = { tenantId, src: '', dst: '', srcAccount: '', dstAccount: '' };
  for (const who of ['src', 'dst'] as const) {
    const pid = backend.addCalendar({ id: `${who}-cal`, name: who });
    const acc = await t.accounts.upsert({ provider: 'memory', externalId: `${who}@example.com` });
    const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: pid, name: who, timeZone: 'UTC', color: null, readOnly: false }]);
    pair[who] = cal!.id;
    pair[`${who}Account`] = acc.id;
  }
  for (let i = 0; i < meetings; i++) backend.put('src-cal', null, [sampleEvent({ title: `meeting ${i}` })]);
  return pair;
}
