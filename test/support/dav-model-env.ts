/** The model-based sync test's provider side on a real CalDAV server, Radicale or Xandikos (three calendars). */
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { EventWriterService, type EngineDeps } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davContext } from './caldav-harness.ts';
import type { MemoryFault } from '../../connectors/memory/index.ts';
import { connectorDriver } from './connector-driver.ts';
import { withFaults } from './emulator-faults.ts';
import { makeCalendar, type DavServer } from './dav-servers.ts';

/** `email`: the address given at connect (null: none, as an account connected without it). */
export async function davModelEnv(dav: DavServer, store: Store, { email = 'owner@example.com' }: { email?: string | null } = {}): Promise<ModelEnv> {
  const tag = Math.random().toString(36).slice(2, 8);
  const urls = [await makeCalendar(dav, `a-${tag}`), await makeCalendar(dav, `b-${tag}`), await makeCalendar(dav, `c-${tag}`)];
  let writes = 0;
  const counting: typeof fetch = (input, init) => {
    if (init?.method === 'PUT' || init?.method === 'DELETE') writes += 1;
    return fetch(input, init);
  };
  const armed: MemoryFault[] = [];
  // The account's address, as given at connect: neither server names one for a login like `alice`,
  // and without one calhub refuses to create a meeting (it would have no ORGANIZER).
  const connector = createCaldavConnector({ serverUrl: dav.homeUrl, fetch: faulty(counting, armed), email }, { pageSize: 20 });
  const ctx = davContext(dav);
  const { tenant } = await store.tenants.create(`model-${tag}`);
  const t = store.tenant(tenant.id);
  const account = await t.accounts.upsert({ provider: 'caldav', externalId: `${dav.homeUrl}#${tag}` });
  const remote = await connector.listCalendars(ctx);
  const mine = urls.map((u) => remote.find((c) => c.providerCalendarId === u || c.providerCalendarId.endsWith(new URL(u).pathname))!);
  const cals = await t.calendars.upsertMany(account.id, mine.map((c) => ({ ...c, timeZone: 'UTC' })));
  await t.accounts.markCalendarsListed(account.id);
  const deps: EngineDeps = {
    store,
    log: createLogger({ level: 'silent' }),
    connect: async () => ({ connector, ctx }),
    guard: { maxDeleteShare: 1, minObjects: 1_000_000 },
  };
  return {
    store,
    deps,
    tenantId: tenant.id,
    calendars: cals.map((c) => c.id),
    writer: new EventWriterService(deps),
    driver: withFaults(
      connectorDriver(createCaldavConnector({ serverUrl: dav.homeUrl, fetch: counting }), ctx, mine.map((c) => ({ providerCalendarId: c.providerCalendarId, timeZone: 'UTC' })), () => writes),
      (f) => void armed.push(f),
      () => void armed.splice(0),
    ),
  };
}

/**
 * Radicale has no fault injection, so the hub's own fetch answers for the server: 503, 429 with
 * Retry-After, a 412 on a conditional update, and a PUT that reaches the server but whose answer
 * is lost (the network error a timeout gives).
 */
function faulty(inner: typeof fetch, armed: MemoryFault[]): typeof fetch {
  return async (input, init) => {
    const method = init?.method ?? 'GET';
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const fits = (f: MemoryFault) =>
      f === 'server-error' || f === 'rate-limited' || (method === 'PUT' && (f === 'timeout-after-write' || (f === 'precondition-failed' && 'if-match' in headers)));
    const i = armed.findIndex(fits);
    if (i < 0) return inner(input, init);
    const [f] = armed.splice(i, 1);
    if (f === 'server-error') return new Response('busy', { status: 503 });
    if (f === 'rate-limited') return new Response('slow down', { status: 429, headers: { 'retry-after': '0' } });
    if (f === 'precondition-failed') return new Response('', { status: 412 });
    await inner(input, init);
    throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
  };
}
