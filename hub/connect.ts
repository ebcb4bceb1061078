/**
 * The connector factory: how the engine reaches a provider for an account. The registry's
 * connector, configured from the account (server URL, API origin), with credentials decrypted
 * from the key ring. This is the one place outside connectors/ that loads provider code.
 */
import type { CalendarConnector, ConnectorContext } from '../connectors/connector.ts';
import { createConnector, type ConnectorConfig } from '../connectors/registry.ts';
import type { Config } from '../shared/config/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { ProviderId } from '../shared/model/index.ts';
import type { AccountRow, Store } from '../shared/store/index.ts';
import type { Connected, EngineDeps } from '../sync-engine/index.ts';
import { oauthAccessTokenSource, type KeyRing, type OAuthTokens } from '../oauth/index.ts';

/** The engine's `connect`: a connector and its context for an account (and the calendar, for connectors that care). */
export type ConnectorFactory = EngineDeps['connect'];

/** A bare connector for a provider (discovery before an account row exists). */
export function newConnector(provider: ProviderId, config: ConnectorConfig = {}): CalendarConnector {
  return createConnector(provider, config);
}

export function makeConnect(opts: { store: Store; keyring: KeyRing; config: Config; log: Logger; metrics?: Metrics }): (account: AccountRow) => Promise<Connected> {
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
