/**
 * The connector factory: how the engine reaches a provider for an account. The registry's
 * connector, configured from the account (server URL, API origin), with credentials decrypted
 * from the key ring. This is the one place outside connectors/ that loads provider code.
 */
import type { CalendarConnector, ConnectorContext } from '../connectors/connector.ts';
import { createConnector, type ConnectorConfig } from '../connectors/registry.ts';
export { discoverCaldavAccount } from '../connectors/registry.ts';
import type { Config } from '../shared/config/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { ProviderId } from '../shared/model/index.ts';
import type { AccountRow, ChannelStop, Store } from '../shared/store/index.ts';
import type { Connected, EngineDeps } from '../sync-engine/index.ts';
import { inMemoryCredentials, isOAuthProvider, oauthProvider, TokenManager, type KeyRing } from '../oauth/index.ts';
import { accessOf, canWrite } from './account-access.ts';
import { busyOnly } from './busy-only.ts';
import { readOnly } from './read-only.ts';

/** The engine's `connect`: a connector and its context for an account (and the calendar, for connectors that care). */
export type ConnectorFactory = EngineDeps['connect'];

/** A bare connector for a provider (discovery before an account row exists). */
export function newConnector(provider: ProviderId, config: ConnectorConfig = {}): Promise<CalendarConnector> {
  return createConnector(provider, config);
}

/** The API origin of an OAuth provider: the account's pinned one, else the configured one (real or emulator). */
export function apiBaseFor(account: Pick<AccountRow, 'provider' | 'config'>, config: Config): string | undefined {
  const pinned = (account.config as { baseUrl?: string }).baseUrl;
  return pinned ?? (isOAuthProvider(account.provider) ? oauthProvider(account.provider, config.oauth).endpoints.api : undefined);
}

/**
 * The process's one token manager: its in-process single flight sits in front of the
 * cross-process lease, so a second manager would refresh the same account twice.
 */
export function newTokenManager(opts: { store: Store; keyring: KeyRing; config: Config; metrics?: Metrics }): TokenManager {
  return new TokenManager({
    store: opts.store, keyring: opts.keyring, oauth: opts.config.oauth,
    onRefresh: (account, outcome) => opts.metrics?.tokenRefreshes.inc({ provider: account.provider, outcome }),
  });
}

/** `tokens`: the process's manager (openHub passes its one); a standalone factory (tests, children) makes its own. */
export function makeConnect(opts: { store: Store; keyring: KeyRing; config: Config; log: Logger; metrics?: Metrics; tokens?: TokenManager }): (account: AccountRow) => Promise<Connected> {
  const tokens = opts.tokens ?? newTokenManager(opts);
  return async (account: AccountRow): Promise<Connected> => {
    const cfg = account.config as { serverUrl?: string; baseUrl?: string; email?: string | null };
    const connector = await createConnector(account.provider, {
      serverUrl: cfg.serverUrl,
      email: cfg.email,
      baseUrl: apiBaseFor(account, opts.config),
      allowPrivateNetworks: opts.config.caldavAllowPrivateNetworks,
      requestDeadlineMs: opts.config.caldavRequestDeadlineMs,
    });
    let credentials: ConnectorContext['credentials'] = { kind: 'none' };
    if (account.provider === 'caldav' && account.credentials) {
      const secret = JSON.parse(opts.keyring.decrypt(account.credentials)) as { username: string; password: string };
      credentials = { kind: 'basic', username: secret.username, password: secret.password };
    }
    if (isOAuthProvider(account.provider) && account.credentials) credentials = tokens.credentialsFor(account);
    const access = await accessOf(opts.store, (c) => tokens.decrypt(c).access, account);
    const limited = canWrite(access) ? connector : readOnly(connector, account.id, access!);
    const log = opts.log.child({ accountId: account.id, provider: account.provider });
    return { connector: access === 'freebusy' ? busyOnly(limited) : limited, ctx: { credentials, signal: new AbortController().signal, log, now: () => new Date() } };
  };
}

/**
 * A deleted account's connector, for the channel stops its disconnect queued (migration 0056): the
 * grant envelope the stop row carries, refreshed in memory through the client that issued it. A
 * refresh is not written back (the account row is gone); Microsoft's rotated refresh token is kept
 * for this connector only, and the stored one is still good for the few retries a stop takes.
 */
export async function connectStoredGrant(opts: { config: Config; tokens: TokenManager; log: Logger }, s: ChannelStop): Promise<Connected> {
  if (!s.credentials || !isOAuthProvider(s.provider)) throw new Error(`no stored grant to stop ${s.provider} channel ${s.channelId} with`);
  const grant = opts.tokens.decrypt(s.credentials);
  const provider = await opts.tokens.providerFor(s.tenantId, s.provider, grant.app, grant.clientId ?? null);
  const connector = await createConnector(s.provider, { baseUrl: s.apiBase ?? apiBaseFor({ provider: s.provider, config: {} }, opts.config) });
  const log = opts.log.child({ accountId: s.accountId, provider: s.provider });
  return { connector, ctx: { credentials: inMemoryCredentials(provider, grant), signal: new AbortController().signal, log, now: () => new Date() } };
}
