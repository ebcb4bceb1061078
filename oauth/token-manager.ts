/**
 * Access tokens for OAuth accounts, refreshed ahead of expiry, one refresh per account at a time
 * across every process (a lease on the account row, so no Redis is needed and a crashed holder's
 * lease simply lapses). A refreshed grant — with Microsoft's rotated refresh token — is written
 * in the same statement that frees the lease, before the new access token is handed out. A
 * revoked grant marks the account `needs_reauth` at once, so other workers stop asking.
 */
import { randomBytes } from 'node:crypto';
import { GrantRevokedError, OAuthClientRejectedError, TransientError, type AccessCredentials } from '../connectors/index.ts';
import type { OAuthConfig } from '../shared/config/index.ts';
import { liveSignInsAs, type AccountRow, type GrantClient, type Store } from '../shared/store/index.ts';
import type { KeyRing } from './keyring.ts';
import { isOAuthProvider, oauthProvider, type AccessLevel, type OAuthProvider, type OAuthProviderId } from './providers.ts';
import { refreshTokens, type ClientOptions, type TokenSet } from './token-client.ts';

/** What an OAuth account's `credentials` envelope holds. */
export interface StoredGrant extends TokenSet {
  /** Which app issued it: the configured one, or the tenant's own. */
  app: 'default' | 'tenant';
  /**
   * The client id that issued it: its refresh token works with that client only. Absent in grants
   * stored before it was recorded (they are the app's current client, and get it on their next refresh).
   */
  clientId?: string;
  /** The access asked at connect time; a refresh asks for the same scopes again. */
  access: AccessLevel;
}

export interface TokenManagerOptions extends ClientOptions {
  store: Store;
  keyring: KeyRing;
  oauth: OAuthConfig;
  /** Refresh this long before expiry. */
  aheadMs?: number;
  /** How long a refresh may hold the account's lease before others may take it over. */
  leaseMs?: number;
  pollMs?: number;
  /** Called after every token-endpoint call (tests count them; metrics could). */
  onRefresh?: (account: AccountRow, outcome: 'ok' | 'revoked' | 'client_rejected' | 'transient') => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TokenManager {
  private readonly owner = `tm_${randomBytes(6).toString('hex')}`;
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly aheadMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(private readonly o: TokenManagerOptions) {
    this.aheadMs = o.aheadMs ?? 120_000;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.pollMs = o.pollMs ?? 100;
  }

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  /**
   * The provider with exactly the client a grant (or a flow's state) names: the tenant's current
   * app or one of its replaced clients still kept (oauth-repo keepRetiredApp), or the hub-wide
   * client or one listed in GOOGLE_/MICROSOFT_RETIRED_CLIENTS. Null when that client is neither
   * configured nor kept. Nothing named (stored before client ids were recorded): the current app.
   */
  async issuingClient(tenantId: string, provider: OAuthProviderId, app: StoredGrant['app'], clientId: string | null): Promise<OAuthProvider | null> {
    if (app === 'tenant') {
      const current = await this.o.store.oauth.app(tenantId, provider);
      const own = !clientId || current?.clientId === clientId ? current : await this.o.store.oauth.retiredApp(tenantId, provider, clientId);
      return own && oauthProvider(provider, this.o.oauth, { clientId: own.clientId, clientSecret: own.clientSecret ? this.o.keyring.decrypt(own.clientSecret) : null });
    }
    if (!clientId || clientId === this.o.oauth[provider].clientId) return oauthProvider(provider, this.o.oauth);
    const retired = this.o.oauth.retiredClients[provider].find((c) => c.clientId === clientId);
    return retired ? oauthProvider(provider, this.o.oauth, retired) : null;
  }

  /**
   * The provider (and app) a grant belongs to. A refresh token works only with the client that
   * issued it, so a grant whose client is no longer configured or kept is not sent to another one:
   * AUTH_CLIENT_REJECTED, the operator's to fix (the account keeps its grant and its status). A
   * tenant grant from before client ids were recorded whose tenant app is gone uses the hub's app.
   */
  async providerFor(tenantId: string, provider: OAuthProviderId, app: StoredGrant['app'] = 'default', clientId: string | null = null): Promise<OAuthProvider> {
    const exact = await this.issuingClient(tenantId, provider, app, clientId);
    if (exact) return exact;
    if (!clientId) return oauthProvider(provider, this.o.oauth);
    const opts = { provider, reason: 'client_not_configured' };
    if (app === 'tenant') {
      throw new OAuthClientRejectedError(`${provider}: the account was connected through client ${clientId} of the tenant's own OAuth app, which is no longer kept; its refresh token works only with that client: the user must reconnect`, opts);
    }
    const v = provider === 'google' ? 'GOOGLE' : 'MICROSOFT';
    throw new OAuthClientRejectedError(
      `${provider}: the account was connected through OAuth client ${clientId}, which is no longer configured (${v}_CLIENT_ID was changed); its refresh token works only with that client: list it in ${v}_RETIRED_CLIENTS (client-id:client-secret) or have the user reconnect; the user's grant is kept`,
      opts,
    );
  }

  /** The client id a stored grant was issued to (null: none configured). */
  /**
   * Whether the hub still has the client a grant was issued through, read from configuration and
   * the store without decrypting anything (issuingClient decrypts a tenant app's secret).
   */
  async hasClient(tenantId: string, provider: OAuthProviderId, app: StoredGrant['app'], clientId: string): Promise<boolean> {
    if (app === 'tenant') {
      if ((await this.o.store.oauth.app(tenantId, provider))?.clientId === clientId) return true;
      return (await this.o.store.oauth.retiredApp(tenantId, provider, clientId)) !== null;
    }
    return clientId === this.o.oauth[provider].clientId || this.o.oauth.retiredClients[provider].some((c) => c.clientId === clientId);
  }

  async clientIdOf(tenantId: string, provider: OAuthProviderId, grant: Pick<StoredGrant, 'app' | 'clientId'>): Promise<string | null> {
    if (grant.clientId) return grant.clientId;
    if (grant.app === 'tenant') return (await this.o.store.oauth.app(tenantId, provider))?.clientId ?? null;
    return this.o.oauth[provider].clientId;
  }

  /**
   * How many other accounts, in any tenant, hold a grant that may still work for this provider user
   * through this client id: revoking a token ends the user's grant to that client (Google), and
   * those connections with it. Grants through another client, and dead ones, do not count; an
   * unreadable grant counts (when unsure, nothing is revoked). A count only, never whose.
   */
  async sameClientSignIns(provider: OAuthProviderId, externalId: string, clientId: string | null, exceptAccountId: string | null): Promise<number> {
    let n = 0;
    for (const other of await liveSignInsAs(this.o.store.db, provider, externalId, exceptAccountId)) {
      try {
        const grant = this.decrypt(other.credentials);
        if ((await this.clientIdOf(other.tenantId, provider, grant)) === clientId) n += 1;
      } catch {
        n += 1;
      }
    }
    return n;
  }

  /** The app new connections of a tenant use: its own when it registered one. */
  async appFor(tenantId: string, provider: OAuthProviderId): Promise<{ provider: OAuthProvider; app: StoredGrant['app'] }> {
    const own = await this.o.store.oauth.app(tenantId, provider);
    return own ? { provider: await this.providerFor(tenantId, provider, 'tenant', own.clientId), app: 'tenant' } : { provider: oauthProvider(provider, this.o.oauth), app: 'default' };
  }

  encrypt(grant: StoredGrant): string {
    return this.o.keyring.encrypt(JSON.stringify(grant));
  }

  decrypt(envelope: string): StoredGrant {
    return JSON.parse(this.o.keyring.decrypt(envelope)) as StoredGrant;
  }

  /** Connector credentials for an OAuth account. */
  credentialsFor(account: AccountRow): AccessCredentials & { kind: 'oauth' } {
    if (!isOAuthProvider(account.provider)) throw new Error(`${account.provider} accounts do not use OAuth`);
    let known = account.credentials ? this.decrypt(account.credentials) : null;
    return {
      kind: 'oauth',
      getAccessToken: async (forceRefresh = false) => {
        if (!forceRefresh && known && known.expiresAt - this.aheadMs > this.now) return known.accessToken;
        const stale = known?.accessToken ?? null;
        let p = this.inflight.get(account.id);
        if (!p) {
          p = this.refreshShared(account, stale).finally(() => this.inflight.delete(account.id));
          this.inflight.set(account.id, p);
        }
        const token = await p;
        const row = await this.o.store.tenant(account.tenantId).accounts.get(account.id);
        known = row?.credentials ? this.decrypt(row.credentials) : known;
        return token;
      },
    };
  }

  /**
   * Waits for the lease, then either finds that another process already replaced `stale` with a
   * fresh token (and uses it), or refreshes itself.
   */
  private async refreshShared(account: AccountRow, stale: string | null): Promise<string> {
    const repo = this.o.store.tenant(account.tenantId).accounts;
    const deadline = this.now + this.leaseMs + 5_000;
    for (;;) {
      const row = await repo.takeRefreshLease(account.id, this.owner, this.leaseMs);
      if (row) return this.refreshUnderLease(row, stale);
      const current = await repo.get(account.id);
      if (!current) throw new GrantRevokedError(`account ${account.id} no longer exists`);
      if (current.status === 'needs_reauth') throw new GrantRevokedError(`account ${account.id} needs to be reconnected`);
      if (this.now > deadline) throw new TransientError(`account ${account.id}: another process has held the token refresh too long`);
      await sleep(this.pollMs);
    }
  }

  private async refreshUnderLease(row: AccountRow, stale: string | null): Promise<string> {
    const repo = this.o.store.tenant(row.tenantId).accounts;
    let stored: string | null = null;
    let client: GrantClient | null = null;
    try {
      if (row.status === 'needs_reauth') throw new GrantRevokedError(`account ${row.id} needs to be reconnected`);
      if (!row.credentials) throw new GrantRevokedError(`account ${row.id} has no stored grant; the user must reconnect`);
      const grant = this.decrypt(row.credentials);
      if (grant.accessToken !== stale && grant.expiresAt - this.aheadMs > this.now) return grant.accessToken;
      if (!grant.refreshToken) throw new GrantRevokedError(`account ${row.id} has no refresh token; the user must reconnect`);
      const provider = await this.providerFor(row.tenantId, row.provider as OAuthProviderId, grant.app, grant.clientId ?? null);
      let next: TokenSet;
      try {
        next = await refreshTokens(provider, grant.refreshToken, provider.scopesFor(grant.access).join(' '), this.o);
      } catch (e) {
        this.o.onRefresh?.(row, e instanceof GrantRevokedError ? 'revoked' : e instanceof OAuthClientRejectedError ? 'client_rejected' : 'transient');
        if (e instanceof GrantRevokedError) await repo.setStatus(row.id, 'needs_reauth', e.reason ?? 'grant revoked');
        throw e;
      }
      this.o.onRefresh?.(row, 'ok');
      // Google keeps its refresh token (no rotation); Microsoft sends a new one every time.
      const clientId = grant.clientId ?? provider.app.clientId ?? undefined;
      stored = this.encrypt({ ...next, refreshToken: next.refreshToken ?? grant.refreshToken, app: grant.app, ...(clientId ? { clientId } : {}), access: grant.access });
      client = { app: grant.app, clientId: clientId ?? null };
      return next.accessToken;
    } finally {
      await repo.releaseRefreshLease(row.id, this.owner, stored, client);
    }
  }
}

/**
 * Credentials over a grant held only in memory: discovery right after the code exchange (before
 * the account row exists), and connector tests. Refreshes through the same client, one at a time.
 */
export function inMemoryCredentials(provider: OAuthProvider, grant: Omit<StoredGrant, 'app' | 'clientId'>, opts: ClientOptions & { aheadMs?: number } = {}): AccessCredentials & { kind: 'oauth' } {
  let current = grant;
  let inflight: Promise<string> | null = null;
  const now = opts.now ?? Date.now;
  return {
    kind: 'oauth',
    async getAccessToken(forceRefresh = false) {
      if (!forceRefresh && current.expiresAt - (opts.aheadMs ?? 120_000) > now()) return current.accessToken;
      inflight ??= (async () => {
        if (!current.refreshToken) throw new GrantRevokedError(`${provider.id}: no refresh token; the user must reconnect`);
        const next = await refreshTokens(provider, current.refreshToken, provider.scopesFor(current.access).join(' '), opts);
        current = { ...next, refreshToken: next.refreshToken ?? current.refreshToken, access: current.access };
        return current.accessToken;
      })().finally(() => (inflight = null));
      return inflight;
    },
  };
}
