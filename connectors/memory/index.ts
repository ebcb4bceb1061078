export { MemoryBackend, type MemoryFault, type StoredObject } from './backend.ts';
export { MemoryConnector } from './connector.ts';
