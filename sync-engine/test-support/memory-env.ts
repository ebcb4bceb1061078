/** A tenant with memory-provider calendars on an in-memory PGlite store, for engine tests. */
import { randomBytes } from 'node:crypto';
import { MemoryBackend, MemoryConnector } from '../../connectors/memory/index.ts';
import { parseEvent, type CanonicalEvent, type CanonicalEventInput } from '../../shared/model/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { listedAccount } from '../../shared/test-support.ts';
import type { EngineDeps } from '../deps.ts';
import { EventWriterService } from '../writer.ts';

export interface MemoryEnv {
  store: Store;
  backend: MemoryBackend;
  deps: EngineDeps;
  tenantId: string;
  calendars: string[];
  providerIds: string[];
  writer: EventWriterService;
  close(): Promise<void>;
}

export async function memoryEnv(opts: { calendars?: number; guard?: EngineDeps['guard']; store?: Store; pageSize?: number } = {}): Promise<MemoryEnv> {
  const store = opts.store ?? (await Store.open({ dataDir: null }));
  await store.migrate();
  const backend = new MemoryBackend({ pageSize: opts.pageSize ?? 25 });
  const letter = (i: number) => 'ABCDEFG'[i] ?? String(i);
  const providerIds = Array.from({ length: opts.calendars ?? 3 }, (_, i) => backend.addCalendar({ id: `cal-${letter(i)}`, name: `Calendar ${letter(i)}` }));
  // Unique: a test may build two environments on one store, and tenant names are unique (migration 0070).
  const { tenant } = await store.tenants.create(`engine-test-${randomBytes(4).toString('hex')}`);
  const t = store.tenant(tenant.id);
  const { calendars: cals } = await listedAccount(t, { provider: 'memory', externalId: 'memory-user' }, providerIds.map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false })));
  const connector = new MemoryConnector(backend);
  const deps: EngineDeps = {
    store,
    log: createLogger({ level: 'silent' }),
    guard: opts.guard ?? { maxDeleteShare: 1, minObjects: 1_000_000 },
    connect: async () => ({
      connector,
      ctx: { credentials: { kind: 'none' }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() },
    }),
  };
  return {
    store,
    backend,
    deps,
    tenantId: tenant.id,
    calendars: cals.map((c) => c.id),
    providerIds,
    writer: new EventWriterService(deps),
    close: () => (opts.store ? Promise.resolve() : store.close()),
  };
}

let n = 0;
export function sampleEvent(over: Partial<CanonicalEventInput> = {}): CanonicalEvent {
  n += 1;
  const day = 1 + (n % 27);
  const start = `2026-12-${String(day).padStart(2, '0')}T${String(8 + (n % 9)).padStart(2, '0')}:00:00Z`;
  const end = `2026-12-${String(day).padStart(2, '0')}T${String(9 + (n % 9)).padStart(2, '0')}:00:00Z`;
  return parseEvent({
    uid: `ev-${n}-${Math.random().toString(36).slice(2, 8)}@test`,
    start: { dateTime: start, timeZone: 'UTC' },
    end: { dateTime: end, timeZone: 'UTC' },
    title: `event ${n}`,
    ...over,
  });
}
