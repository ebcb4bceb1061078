// The contract and the error taxonomy only: loading the engine must not load every provider SDK.
// Provider code is reached through ./registry.ts, which only the composition root (hub/) imports.
export * from './connector.ts';
export * from './errors.ts';
