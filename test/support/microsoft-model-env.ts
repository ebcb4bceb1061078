/** The model-based sync test's provider side on the Microsoft Graph emulator (three calendars). */
import type { ConnectorContext } from '../../connectors/index.ts';
import { createMicrosoftConnector } from '../../connectors/microsoft/index.ts';
import type { MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { listedAccount } from '../../shared/test-support.ts';
import { EventWriterService, type EngineDeps } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { connectorDriver } from './connector-driver.ts';
import { withFaults, type Inject } from './emulator-faults.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** `userId`: the mailbox, for tests that change it as Outlook would (`emu.control`). */
export async function microsoftModelEnv(emu: MicrosoftEmulator, store: Store): Promise<ModelEnv & { userId: string }> {
  const tag = Math.random().toString(36).slice(2, 8);
  const user = emu.control.createUser({ email: `model-${tag}@contoso.test`, timeZone: 'UTC' });
  const ids = [user.calendarId, emu.control.createCalendar({ userId: user.id, name: `b-${tag}` }).id, emu.control.createCalendar({ userId: user.id, name: `c-${tag}` }).id];
  const { accessToken } = emu.control.issueToken({ userId: user.id });
  const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
  const hub = createMicrosoftConnector({ baseUrl: emu.url });
  const other = createMicrosoftConnector({ baseUrl: emu.url });
  const { tenant } = await store.tenants.create(`ms-model-${tag}`);
  const t = store.tenant(tenant.id);
  const { calendars: cals } = await listedAccount(t, { provider: 'microsoft', externalId: user.email }, ids.map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false })));
  const deps: EngineDeps = { store, log: createLogger({ level: 'silent' }), connect: async () => ({ connector: hub, ctx }), guard: { maxDeleteShare: 1, minObjects: 1_000_000 } };
  const ref = (c: number) => ({ providerCalendarId: ids[c]!, timeZone: 'UTC' });
  return {
    store,
    userId: user.id,
    deps,
    tenantId: tenant.id,
    calendars: cals.map((c) => c.id),
    writer: new EventWriterService(deps),
    driver: withFaults(connectorDriver(other, ctx, [0, 1, 2].map(ref), () => emu.control.requestCounts().writes), graphFault(emu), () => emu.control.clearFaults()),
  };
}

/** Graph's answers: 503, 429 with Retry-After, a stale-etag 412 on an update, a create whose answer is lost. */
function graphFault(emu: MicrosoftEmulator): Inject {
  return (f) => {
    if (f === 'server-error') emu.control.injectFault({ status: 503 });
    else if (f === 'rate-limited') emu.control.injectFault({ status: 429, retryAfter: 0 });
    else if (f === 'precondition-failed') {
      // The code the emulator's If-Match check answers with: documented or Outlook's FIELD one (§E B.7).
      const code = emu.control.setSwitches({}).irresolvableConflict412 ? 'ErrorIrresolvableConflict' : 'resourceModified';
      emu.control.injectFault({ status: 412, code, method: 'PATCH' });
    }
    else if (f === 'timeout-after-write') emu.control.injectFault({ status: 201, method: 'POST', dropResponse: true });
  };
}
