/** The model-based sync test's provider side on the Google Calendar emulator (three calendars). */
import { createGoogleConnector } from '../../connectors/google/index.ts';
import type { ConnectorContext } from '../../connectors/index.ts';
import type { RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { listedAccount } from '../../shared/test-support.ts';
import { EventWriterService, type EngineDeps } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { connectorDriver } from './connector-driver.ts';
import { withFaults, type Inject } from './emulator-faults.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export async function googleModelEnv(emu: RunningGoogleEmulator, store: Store): Promise<ModelEnv> {
  const tag = Math.random().toString(36).slice(2, 8);
  const email = `model-${tag}@example.com`;
  emu.control.createUser({ email, timeZone: 'UTC' });
  const ids = ['a', 'b', 'c'].map((n) => emu.control.createCalendar({ ownerEmail: email, summary: `${n}-${tag}`, timeZone: 'UTC' }).id);
  const { accessToken } = emu.control.issueGrant({ email });
  const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
  // The hub's connector and "another client" (the provider-side edits) are separate instances.
  const hub = createGoogleConnector({ baseUrl: emu.url });
  const other = createGoogleConnector({ baseUrl: emu.url });
  const { tenant } = await store.tenants.create(`google-model-${tag}`);
  const t = store.tenant(tenant.id);
  const { calendars: cals } = await listedAccount(t, { provider: 'google', externalId: email }, ids.map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false })));
  const deps: EngineDeps = { store, log: createLogger({ level: 'silent' }), connect: async () => ({ connector: hub, ctx }), guard: { maxDeleteShare: 1, minObjects: 1_000_000 } };
  const ref = (c: number) => ({ providerCalendarId: ids[c]!, timeZone: 'UTC' });
  return {
    store,
    deps,
    tenantId: tenant.id,
    calendars: cals.map((c) => c.id),
    writer: new EventWriterService(deps),
    driver: withFaults(
      connectorDriver(other, ctx, [0, 1, 2].map(ref), () => emu.control.requests().filter((r) => r.method !== 'GET' && r.path.startsWith('/calendar/v3/calendars/')).length),
      googleFault(emu),
      () => emu.control.clearFaults(),
    ),
  };
}

/** Google's answers: 503 backendError, 429 with Retry-After, a stale-etag 412 on an update, a create whose answer is lost. */
function googleFault(emu: RunningGoogleEmulator): Inject {
  const path = '/calendar/v3/calendars/';
  return (f) => {
    if (f === 'server-error') emu.control.injectFault({ status: 503, reason: 'backendError', pathPrefix: path });
    else if (f === 'rate-limited') emu.control.injectFault({ status: 429, reason: 'rateLimitExceeded', retryAfter: 0, pathPrefix: path });
    else if (f === 'precondition-failed') emu.control.injectFault({ status: 412, reason: 'conditionNotMet', method: 'PUT', pathPrefix: path });
    else if (f === 'timeout-after-write') emu.control.injectFault({ status: 200, method: 'POST', dropResponse: true, pathPrefix: path });
  };
}
