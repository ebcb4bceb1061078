/**
 * One token refresher in its own process, for the "two processes refresh one account at once"
 * test: PostgreSQL store in a given schema, its own TokenManager. Prints `ready`, waits for `go`
 * on stdin, forces a refresh of the account (the access token was just rejected) and prints the
 * token's hash. It exits when stdin closes.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { KeyRing, TokenManager } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { Store } from '../../shared/store/index.ts';

const env = process.env;
const store = await Store.open({ databaseUrl: env.RC_DATABASE_URL!, schema: env.RC_SCHEMA! });
const tokens = new TokenManager({
  store,
  keyring: KeyRing.parse(env.RC_KEYS!),
  oauth: loadConfig({ MICROSOFT_CLIENT_ID: env.RC_CLIENT!, MICROSOFT_LOGIN_BASE_URL: env.RC_EMU!, MICROSOFT_GRAPH_BASE_URL: env.RC_EMU! }).oauth,
  pollMs: 20,
});
const account = (await store.tenant(env.RC_TENANT!).accounts.get(env.RC_ACCOUNT!))!;
const creds = tokens.credentialsFor(account);
const lines = createInterface({ input: process.stdin });
lines.once('close', () => void store.close().then(() => process.exit(0)));
lines.on('line', (line) => {
  if (line.trim() !== 'go') return;
  creds.getAccessToken(true).then(
    (t) => process.stdout.write(`token ${createHash('sha256').update(t).digest('hex')}\n`),
    (e: unknown) => process.stdout.write(`error ${(e as Error).name}\n`),
  );
});
process.stdout.write('ready\n');
