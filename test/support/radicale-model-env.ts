/** The model-based sync test's provider side on a real Radicale server (three calendars). */
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { EventWriterService, type EngineDeps } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davContext } from './caldav-harness.ts';
import { connectorDriver } from './connector-driver.ts';
import { makeCalendar, type DavServer } from './dav-servers.ts';

export async function radicaleModelEnv(dav: DavServer, store: Store): Promise<ModelEnv> {
  const tag = Math.random().toString(36).slice(2, 8);
  const urls = [await makeCalendar(dav, `a-${tag}`), await makeCalendar(dav, `b-${tag}`), await makeCalendar(dav, `c-${tag}`)];
  let writes = 0;
  const counting: typeof fetch = (input, init) => {
    if (init?.method === 'PUT' || init?.method === 'DELETE') writes += 1;
    return fetch(input, init);
  };
  const connector = createCaldavConnector({ serverUrl: dav.homeUrl, fetch: counting }, { pageSize: 20 });
  const ctx = davContext(dav);
  const { tenant } = await store.tenants.create(`model-${tag}`);
  const t = store.tenant(tenant.id);
  const account = await t.accounts.upsert({ provider: 'caldav', externalId: `${dav.homeUrl}#${tag}` });
  const remote = await connector.listCalendars(ctx);
  const mine = urls.map((u) => remote.find((c) => c.providerCalendarId === u || c.providerCalendarId.endsWith(new URL(u).pathname))!);
  const cals = await t.calendars.upsertMany(account.id, mine.map((c) => ({ ...c, timeZone: 'UTC' })));
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
    driver: connectorDriver(createCaldavConnector({ serverUrl: dav.homeUrl, fetch: counting }), ctx, mine.map((c) => ({ providerCalendarId: c.providerCalendarId, timeZone: 'UTC' })), () => writes),
  };
}
