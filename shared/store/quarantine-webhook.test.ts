import { runQuarantineWebhookContract } from './quarantine-webhook.contract.ts';
import { Store } from './store.ts';

runQuarantineWebhookContract('PGlite', () => Store.open({ dataDir: null }));
