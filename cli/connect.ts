/**
 * How the engine reaches a provider for an account: the registry's connector, configured from
 * the account (server URL, API origin), with credentials decrypted from the key ring.
 */
import { createConnector, type ConnectorContext } from '../connectors/index.ts';
import type { Config } from '../shared/config/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { AccountRow, Store } from '../shared/store/index.ts';
import type { Connected } from '../sync-engine/index.ts';
import { oauthAccessTokenSource, type KeyRing, type OAuthTokens } from '../oauth/index.ts';

export function makeConnect(opts: { store: Store; keyring: KeyRing; config: Config; log: Logger; metrics?: Metrics }) {
  return async (account: AccountRow): Promise<Connected> => {
    const cfg = account.config as { serverUrl?: string; baseUrl?: string };
    const connector = createConnector(account.provider, {
      serverUrl: cfg.serverUrl,
      baseUrl: cfg.baseUrl,
      allowPrivateNetworks: opts.config.caldavAllowPrivateNetworks,
    });
    const secret = account.credentials ? JSON.parse(opts.keyring.decrypt(account.credentials)) : null;
    let credentials: ConnectorContext['credentials'] = { kind: 'none' };
    if (account.provider === 'caldav' && secret) credentials = { kind: 'basic', username: secret.username, password: secret.password };
    if ((account.provider === 'google' || account.provider === 'microsoft') && secret) {
      const persist = async (t: OAuthTokens) =>
        opts.store.tenant(account.tenantId).accounts.setCredentials(account.id, opts.keyring.encrypt(JSON.stringify(t)));
      credentials = { kind: 'oauth', getAccessToken: oauthAccessTokenSource(account.id, secret as OAuthTokens, persist, fetch, (outcome) =>
          opts.metrics?.tokenRefreshes.inc({ provider: account.provider, outcome }),
        ) };
    }
    const log = opts.log.child({ accountId: account.id, provider: account.provider });
    return { connector, ctx: { credentials, signal: new AbortController().signal, log, now: () => new Date() } };
  };
}
