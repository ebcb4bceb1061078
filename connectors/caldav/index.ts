export { createCaldavConnector, discoverCaldav, ownAddress, CALDAV_CAPABILITIES, DEFAULT_PAGE_SIZE, type CaldavOptions, type ConnectorConfig as CaldavConnectorConfig } from './connector.ts';
export type { CaldavDiscovery } from './discovery.ts';
export { parseCalendarObject, serializeCalendarObject, type ParseOptions } from './ical/index.ts';
export { createGuardedFetch, type GuardedFetchOptions } from './transport.ts';
export { forbiddenAddressReason, SsrfBlockedError, type Resolver } from '../../shared/net/index.ts';
