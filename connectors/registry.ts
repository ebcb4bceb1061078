/**
 * provider id -> connector factory. The ONLY file that imports provider folders (checked by
 * scripts/check-deps.mjs): the engine, API and CLI ask this registry for a connector.
 */
import type { ProviderId } from '../shared/model/index.ts';
import type { CalendarConnector } from './connector.ts';
import { createCaldavConnector } from './caldav/index.ts';
import { createGoogleConnector } from './google/index.ts';
import { MemoryBackend, MemoryConnector } from './memory/index.ts';
import { createMicrosoftConnector } from './microsoft/index.ts';

export interface ConnectorConfig {
  /** Provider API origin; the emulators differ from the real provider only here. */
  baseUrl?: string;
  /** CalDAV: the account's server, principal or calendar-home URL. */
  serverUrl?: string;
  /** CalDAV SSRF guard override (CALDAV_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks?: boolean;
  /** CalDAV: time for a request's headers and first bytes (CALDAV_REQUEST_DEADLINE_MS; default connectors/caldav/limits.ts). */
  requestDeadlineMs?: number;
  fetch?: typeof fetch;
  /** Memory connector: share one backend between connector instances (tests). */
  memoryBackend?: unknown;
}

type Factory = (config: ConnectorConfig) => CalendarConnector;

const factories: Partial<Record<ProviderId, Factory>> = {
  caldav: ({ requestDeadlineMs, ...config }) => createCaldavConnector({ ...config, ...(requestDeadlineMs === undefined ? {} : { limits: { requestDeadlineMs } }) }),
  google: (config) => createGoogleConnector(config),
  microsoft: (config) => createMicrosoftConnector(config),
  memory: (c) => new MemoryConnector(c.memoryBackend instanceof MemoryBackend ? c.memoryBackend : new MemoryBackend()),
};

export function createConnector(provider: ProviderId, config: ConnectorConfig = {}): CalendarConnector {
  const factory = factories[provider];
  if (!factory) throw new Error(`no connector registered for provider "${provider}"`);
  return factory(config);
}
