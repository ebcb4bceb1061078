// A worker thread does not inherit the parent's --import tsx loader on Node 20: register it here.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-worker.ts');
