export * from './connector.ts';
export * from './errors.ts';
export { createConnector, type ConnectorConfig } from './registry.ts';
