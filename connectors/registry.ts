/**
 * provider id -> connector factory. The ONLY file that imports provider folders (checked by
 * scripts/check-deps.mjs): the engine, API and CLI ask this registry for a connector.
 */
import type { ProviderId } from '../shared/model/index.ts';
import type { CalendarConnector, ConnectorContext, RemoteCalendar } from './connector.ts';

export interface ConnectorConfig {
  /** Provider API origin; the emulators differ from the real provider only here. */
  baseUrl?: string;
  /** CalDAV: the account's server, principal or calendar-home URL. */
  serverUrl?: string;
  /** CalDAV SSRF guard override (CALDAV_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks?: boolean;
  /** CalDAV: the account's email address (account config `email`), ORGANIZER when the server names none. */
  email?: string | null;
  /** CalDAV: time for a request's headers and first bytes (CALDAV_REQUEST_DEADLINE_MS; default connectors/caldav/limits.ts). */
  requestDeadlineMs?: number;
  fetch?: typeof fetch;
  /** Memory connector: share one backend between connector instances (tests). */
  memoryBackend?: unknown;
}

type Factory = (config: ConnectorConfig) => Promise<CalendarConnector>;

// Each provider's code (and its client library: @googleapis/calendar alone is ~18 MB resident) is
// loaded the first time a connector of it is made, so a thread or process that never meets a
// provider never loads it (issue 15: the idle footprint of `calhub start`).
const factories: Partial<Record<ProviderId, Factory>> = {
  caldav: async ({ requestDeadlineMs, ...config }) =>
    (await import('./caldav/index.ts')).createCaldavConnector({ ...config, ...(requestDeadlineMs === undefined ? {} : { limits: { requestDeadlineMs } }) }),
  google: async (config) => (await import('./google/index.ts')).createGoogleConnector(config),
  microsoft: async (config) => (await import('./microsoft/index.ts')).createMicrosoftConnector(config),
  memory: async (c) => {
    const { MemoryBackend, MemoryConnector } = await import('./memory/index.ts');
    return new MemoryConnector(c.memoryBackend instanceof MemoryBackend ? c.memoryBackend : new MemoryBackend());
  },
};

export async function createConnector(provider: ProviderId, config: ConnectorConfig = {}): Promise<CalendarConnector> {
  const factory = factories[provider];
  if (!factory) throw new Error(`no connector registered for provider "${provider}"`);
  return factory(config);
}

/**
 * CalDAV discovery when an account is connected: its principal (current-user-principal, after
 * /.well-known/caldav) names the account, whatever address the user typed; its calendars; and the
 * email address it organizes meetings as (the server's, else `config.email`, else a username that
 * is one; null when none is known).
 */
export async function discoverCaldavAccount(ctx: ConnectorContext, { requestDeadlineMs, serverUrl, ...config }: ConnectorConfig & { serverUrl: string }): Promise<{ principalUrl: string | null; calendars: RemoteCalendar[]; address: string | null; serverAddress: string | null }> {
  const { discoverCaldav, ownAddress } = await import('./caldav/index.ts');
  const d = await discoverCaldav(ctx, serverUrl, { ...config, ...(requestDeadlineMs === undefined ? {} : { limits: { requestDeadlineMs } }) });
  // serverAddress: the principal's own mailto: address (calendar-user-address-set), if it gave one.
  const serverAddress = d.userAddresses.find((a) => /^[^\s@/:]+@[^\s@/]+$/.test(a)) ?? null;
  return { principalUrl: d.principalUrl, calendars: d.calendars, address: ownAddress(ctx, d.userAddresses, config.email ?? null), serverAddress };
}
