import { runStoreContract } from './store.contract.ts';
import { Store } from './store.ts';

runStoreContract('PGlite (in memory)', () => Store.open({ dataDir: null }));
