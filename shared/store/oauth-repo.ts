/**
 * Rows behind the OAuth connection flows (migration 0006): a tenant's redirect allow-list, pending
 * authorizations (state), connect-page sessions and the tenant's own OAuth apps (and, migration
 * 0050, the replaced ones kept for the grants they issued). Secrets arrive
 * here already hashed or encrypted; this file never sees a plain state, verifier or client secret.
 */
import { createHash } from 'node:crypto';
import type { Db } from './db.ts';

export type AccessLevel = 'freebusy' | 'read' | 'readwrite';

export interface PendingAuthorization {
  tenantId: string;
  provider: string;
  /** Encrypted PKCE verifier envelope. */
  verifier: string;
  redirectUri: string;
  access: AccessLevel;
  accountId: string | null;
  loginHint: string | null;
  expiresAt: Date;
  /** Hash of the nonce in the starting browser's cookie; null when no browser started it (API). */
  browserHash?: string | null;
  /** The stored id (hash) of the connect session the flow came from. */
  connectSession?: string | null;
  /** The operator's flow: its loopback redirect was allowed for this flow only (migration 0050). */
  operatorRedirect?: boolean;
  /**
   * The app and client the flow was started with (migration 0053): its code is exchanged through
   * that client, even if the app changed meanwhile. Null in states saved before: the current app.
   */
  app?: 'default' | 'tenant' | null;
  clientId?: string | null;
}

export interface ConnectSession {
  /** The stored id: the hash of the link's secret. Safe to show; it names the session. */
  ref: string;
  tenantId: string;
  redirectUri: string;
  access: AccessLevel;
  loginHint: string | null;
  accountId: string | null;
  expiresAt: Date;
  /** CalDAV tries through the page so far. */
  attempts: number;
  /** Set once the session connected an account (or failed for good): it connects nothing more. */
  usedAt: Date | null;
  /** The product's name shown on the page (migration 0090); null: the tenant's name. */
  appName: string | null;
  /** Why the session failed for good, as the page told the product (migration 0090); null: it did not. */
  failedCode: string | null;
}

export interface TenantOAuthApp {
  provider: string;
  clientId: string;
  /** Encrypted envelope, or null for a public client. */
  clientSecret: string | null;
}

export interface UsedState {
  tenantId: string;
  provider: string;
  redirectUri: string;
  operatorRedirect: boolean;
  connectSession: string | null;
  connected: boolean;
  /** Set while a claim has not ended (a callback is finishing it, or died doing so). */
  claimedUntil: Date | null;
  /** The claim has not ended and its lease runs (by the database's clock). */
  claimLive: boolean;
  /** The claim's code was never answered for: a call after claimedUntil takes the state over. */
  exchangeable: boolean;
  /** The account the sign-in stored (migration 0083), whether or not the state was marked connected after. */
  storedAccountId: string | null;
  /** Hash of the starting browser's nonce (hosted page flows), as in PendingAuthorization. */
  browserHash: string | null;
}

/** States and session ids are bearer secrets: the database holds only their hash. */
export const secretHash = (s: string): string => createHash('sha256').update(s).digest('hex');

type StateRow = {
  tenant_id: string;
  provider: string;
  verifier: string;
  redirect_uri: string;
  access: AccessLevel;
  account_id: string | null;
  login_hint: string | null;
  expires_at: Date;
  browser_hash: string | null;
  connect_session: string | null;
  operator_redirect: boolean;
  app: 'default' | 'tenant' | null;
  client_id: string | null;
};
type SessionRow = Omit<StateRow, 'provider' | 'verifier' | 'browser_hash' | 'connect_session' | 'operator_redirect' | 'app' | 'client_id'> & { id: string; attempts: number; used_at: Date | null; app_name?: string | null; failed_code?: string | null };

/** Expired states are kept this long, so a late callback is told STATE_EXPIRED (with its way back), not STATE_INVALID. */
const KEEP_EXPIRED = "interval '1 day'";

const toSession = (r: SessionRow): ConnectSession => ({
  ref: r.id, tenantId: r.tenant_id, redirectUri: r.redirect_uri, access: r.access, loginHint: r.login_hint, accountId: r.account_id,
  expiresAt: new Date(r.expires_at), attempts: r.attempts, usedAt: r.used_at ? new Date(r.used_at) : null,
  appName: r.app_name ?? null, failedCode: r.failed_code ?? null,
});

export class OAuthRepo {
  constructor(private readonly db: Db) {}

  async allowRedirect(tenantId: string, uri: string): Promise<void> {
    await this.db.query('INSERT INTO tenant_redirect_uris (tenant_id, uri) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tenantId, uri]);
  }

  async disallowRedirect(tenantId: string, uri: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM tenant_redirect_uris WHERE tenant_id = $1 AND uri = $2 RETURNING uri', [tenantId, uri]);
    return rows.length > 0;
  }

  async redirectUris(tenantId: string): Promise<string[]> {
    const rows = await this.db.query<{ uri: string }>('SELECT uri FROM tenant_redirect_uris WHERE tenant_id = $1 ORDER BY uri', [tenantId]);
    return rows.map((r) => r.uri);
  }

  async isRedirectAllowed(tenantId: string, uri: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM tenant_redirect_uris WHERE tenant_id = $1 AND uri = $2', [tenantId, uri]);
    return rows.length > 0;
  }

  async savePending(state: string, p: PendingAuthorization): Promise<void> {
    // Rows expired for a day are swept on the way in, so the table stays small.
    await this.db.query(`DELETE FROM oauth_states WHERE expires_at < now() - ${KEEP_EXPIRED}`);
    await this.db.query(
      `INSERT INTO oauth_states (state_hash, tenant_id, provider, verifier, redirect_uri, access, account_id, login_hint, expires_at, browser_hash, connect_session, operator_redirect, app, client_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [secretHash(state), p.tenantId, p.provider, p.verifier, p.redirectUri, p.access, p.accountId, p.loginHint, p.expiresAt, p.browserHash ?? null, p.connectSession ?? null, p.operatorRedirect ?? false, p.app ?? null, p.clientId ?? null],
    );
  }

  /**
   * Single use: the row is claimed by the one call that gets it back, expired or not, for `leaseMs`
   * (migration 0076); it is kept (migration 0066) so a reload of the callback can be told what
   * became of it (usedState). The verifier stays until the claim's exchange attempt ends
   * (spendVerifier): a claim whose lease ran out with the verifier still there belonged to a process
   * that died before the provider answered, and is handed to the next call (`retried`).
   */
  async consumePending(state: string, leaseMs: number): Promise<(PendingAuthorization & { retried: boolean }) | null> {
    const rows = await this.db.query<StateRow & { retried: boolean }>(
      `UPDATE oauth_states o SET used_at = now(), claimed_until = now() + make_interval(secs => $2::double precision / 1000)
         FROM (SELECT state_hash, used_at FROM oauth_states WHERE state_hash = $1 FOR UPDATE) old
        WHERE o.state_hash = old.state_hash
          AND (o.used_at IS NULL OR (o.outcome IS NULL AND o.verifier IS NOT NULL AND o.claimed_until < now()))
        RETURNING o.tenant_id, o.provider, o.verifier, o.redirect_uri, o.access, o.account_id, o.login_hint, o.expires_at, o.browser_hash, o.connect_session,
                  o.operator_redirect, o.app, o.client_id, old.used_at IS NOT NULL AS retried`,
      [secretHash(state), leaseMs],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      tenantId: r.tenant_id, provider: r.provider, verifier: r.verifier, redirectUri: r.redirect_uri, access: r.access,
      accountId: r.account_id, loginHint: r.login_hint, expiresAt: new Date(r.expires_at), browserHash: r.browser_hash, connectSession: r.connect_session, operatorRedirect: r.operator_redirect === true,
      app: r.app, clientId: r.client_id, retried: r.retried === true,
    };
  }

  /**
   * The claim's exchange attempt ended (answered, refused, or never made): the code cannot be
   * exchanged again, so the verifier leaves the row (migration 0071) and no later call takes it over.
   */
  async spendVerifier(state: string): Promise<void> {
    await this.db.query('UPDATE oauth_states SET verifier = NULL WHERE state_hash = $1', [secretHash(state)]);
  }

  /**
   * A state already used: whose flow it was; 'connected' when it connected the account; `claimedUntil`
   * while a claim has not ended (a callback is still finishing it, or died doing so: `exchangeable`
   * when its code was never answered for, so a reload after that time takes it over).
   */
  async usedState(state: string): Promise<UsedState | null> {
    const rows = await this.db.query<{ tenant_id: string; provider: string; redirect_uri: string; operator_redirect: boolean; connect_session: string | null; outcome: string | null; claimed_until: Date | null; claim_live: boolean; exchangeable: boolean; stored_account_id: string | null; browser_hash: string | null }>(
      `SELECT tenant_id, provider, redirect_uri, operator_redirect, connect_session, outcome, CASE WHEN outcome IS NULL THEN claimed_until END AS claimed_until, stored_account_id, browser_hash,
              outcome IS NULL AND claimed_until > now() AS claim_live, verifier IS NOT NULL AS exchangeable
         FROM oauth_states WHERE state_hash = $1 AND used_at IS NOT NULL`,
      [secretHash(state)],
    );
    const r = rows[0];
    return r
      ? { tenantId: r.tenant_id, provider: r.provider, redirectUri: r.redirect_uri, operatorRedirect: r.operator_redirect === true, connectSession: r.connect_session, connected: r.outcome === 'connected', claimedUntil: r.claimed_until ? new Date(r.claimed_until) : null, claimLive: r.claim_live === true, exchangeable: r.exchangeable === true, storedAccountId: r.stored_account_id, browserHash: r.browser_hash }
      : null;
  }

  /** The used state's sign-in connected its account. */
  async markConnected(state: string): Promise<void> {
    await this.db.query("UPDATE oauth_states SET outcome = 'connected' WHERE state_hash = $1", [secretHash(state)]);
  }

  /**
   * A state whose callback died after its account was stored (storedAccountId) is finished as
   * connected, once: true for the one call that did it (a second reload meanwhile gets false).
   */
  async finishStored(state: string): Promise<boolean> {
    const rows = await this.db.query("UPDATE oauth_states SET outcome = 'connected' WHERE state_hash = $1 AND outcome IS NULL AND stored_account_id IS NOT NULL RETURNING 1", [secretHash(state)]);
    return rows.length === 1;
  }

  /** The used state's sign-in ended without an account (its refusal was answered). */
  async markRefused(state: string): Promise<void> {
    await this.db.query("UPDATE oauth_states SET outcome = 'refused' WHERE state_hash = $1 AND outcome IS NULL", [secretHash(state)]);
  }

  async createSession(id: string, s: Omit<ConnectSession, 'ref' | 'attempts' | 'usedAt' | 'failedCode'>): Promise<void> {
    await this.db.query(`DELETE FROM connect_sessions WHERE expires_at < now() - ${KEEP_EXPIRED}`);
    await this.db.query(
      'INSERT INTO connect_sessions (id, tenant_id, redirect_uri, access, login_hint, account_id, expires_at, app_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [secretHash(id), s.tenantId, s.redirectUri, s.access, s.loginHint, s.accountId, s.expiresAt, s.appName],
    );
  }

  /** A live session (used or not), or null. */
  async session(id: string): Promise<ConnectSession | null> {
    const rows = await this.db.query<SessionRow>('SELECT * FROM connect_sessions WHERE id = $1 AND expires_at > now()', [secretHash(id)]);
    const r = rows[0];
    return r ? toSession(r) : null;
  }

  /**
   * Takes one CalDAV attempt from a live, unused session, atomically (parallel posts cannot
   * overdraw it). Null: the session is unknown, expired, spent, or out of attempts.
   */
  async takeAttempt(id: string, max: number): Promise<ConnectSession | null> {
    const rows = await this.db.query<SessionRow>(
      'UPDATE connect_sessions SET attempts = attempts + 1 WHERE id = $1 AND expires_at > now() AND used_at IS NULL AND attempts < $2 RETURNING *',
      [secretHash(id), max],
    );
    const r = rows[0];
    return r ? toSession(r) : null;
  }

  /**
   * Takes an unspent session for one connect, atomically: false while another connect holds it (a
   * claim older than `staleMs` is a dead process's and is taken over) or once it is spent.
   */
  async claimSession(ref: string, staleMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE connect_sessions SET claimed_at = now() WHERE id = $1 AND used_at IS NULL
         AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $2::double precision / 1000)) RETURNING id`,
      [ref, staleMs],
    );
    return rows.length === 1;
  }

  /** The claimed session connected its account: it connects nothing more. */
  async spendSession(ref: string): Promise<void> {
    await this.db.query('UPDATE connect_sessions SET used_at = now(), claimed_at = NULL WHERE id = $1 AND used_at IS NULL', [ref]);
  }

  /**
   * The page told the product the session failed (its way back carries `code`): it connects nothing
   * more, and shows that failure when opened again. A session that connected first keeps that.
   */
  async failSession(ref: string, code: string): Promise<void> {
    await this.db.query('UPDATE connect_sessions SET used_at = now(), claimed_at = NULL, failed_code = $2 WHERE id = $1 AND used_at IS NULL', [ref, code]);
  }

  /** The claimed session's connect failed: another try may take it. */
  async releaseSession(ref: string): Promise<void> {
    await this.db.query('UPDATE connect_sessions SET claimed_at = NULL WHERE id = $1', [ref]);
  }

  /** Whether the session was spent (by its stored id). */
  async sessionSpent(ref: string): Promise<boolean> {
    const rows = await this.db.query<{ used: boolean }>('SELECT used_at IS NOT NULL AS used FROM connect_sessions WHERE id = $1', [ref]);
    return rows[0]?.used ?? true;
  }

  async setApp(tenantId: string, app: TenantOAuthApp): Promise<void> {
    await this.db.query(
      `INSERT INTO tenant_oauth_apps (tenant_id, provider, client_id, client_secret) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, provider) DO UPDATE SET client_id = EXCLUDED.client_id, client_secret = EXCLUDED.client_secret`,
      [tenantId, app.provider, app.clientId, app.clientSecret],
    );
  }

  async app(tenantId: string, provider: string): Promise<TenantOAuthApp | null> {
    const rows = await this.db.query<{ provider: string; client_id: string; client_secret: string | null }>(
      'SELECT provider, client_id, client_secret FROM tenant_oauth_apps WHERE tenant_id = $1 AND provider = $2',
      [tenantId, provider],
    );
    const r = rows[0];
    return r ? { provider: r.provider, clientId: r.client_id, clientSecret: r.client_secret } : null;
  }

  /**
   * Keeps a replaced app's client (migration 0050) for the grants it issued: a refresh token works
   * only with the client that issued it.
   */
  async keepRetiredApp(tenantId: string, app: TenantOAuthApp): Promise<void> {
    await this.db.query(
      `INSERT INTO tenant_oauth_app_clients (tenant_id, provider, client_id, client_secret) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, provider, client_id) DO UPDATE SET client_secret = EXCLUDED.client_secret, retired_at = now()`,
      [tenantId, app.provider, app.clientId, app.clientSecret],
    );
  }

  /** The replaced apps of a tenant for a provider still kept for their grants, by client id. */
  async retiredApps(tenantId: string, provider: string): Promise<TenantOAuthApp[]> {
    const rows = await this.db.query<{ provider: string; client_id: string; client_secret: string | null }>(
      'SELECT provider, client_id, client_secret FROM tenant_oauth_app_clients WHERE tenant_id = $1 AND provider = $2 ORDER BY client_id',
      [tenantId, provider],
    );
    return rows.map((r) => ({ provider: r.provider, clientId: r.client_id, clientSecret: r.client_secret }));
  }

  async retiredApp(tenantId: string, provider: string, clientId: string): Promise<TenantOAuthApp | null> {
    const rows = await this.db.query<{ provider: string; client_id: string; client_secret: string | null }>(
      'SELECT provider, client_id, client_secret FROM tenant_oauth_app_clients WHERE tenant_id = $1 AND provider = $2 AND client_id = $3',
      [tenantId, provider, clientId],
    );
    const r = rows[0];
    return r ? { provider: r.provider, clientId: r.client_id, clientSecret: r.client_secret } : null;
  }

  /** A new secret for a kept client (its old one leaked or expired); false when the client is not kept. */
  async setRetiredSecret(tenantId: string, provider: string, clientId: string, clientSecret: string | null): Promise<boolean> {
    const rows = await this.db.query('UPDATE tenant_oauth_app_clients SET client_secret = $4 WHERE tenant_id = $1 AND provider = $2 AND client_id = $3 RETURNING 1', [tenantId, provider, clientId, clientSecret]);
    return rows.length > 0;
  }

  /** Whether a flow of the tenant's own app started with this client may still come back (its state is live). */
  async hasLiveFlow(tenantId: string, provider: string, clientId: string): Promise<boolean> {
    const rows = await this.db.query(
      "SELECT 1 FROM oauth_states WHERE tenant_id = $1 AND provider = $2 AND app = 'tenant' AND client_id = $3 AND expires_at > now() AND used_at IS NULL LIMIT 1",
      [tenantId, provider, clientId],
    );
    return rows.length > 0;
  }

  async dropRetiredApp(tenantId: string, provider: string, clientId: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM tenant_oauth_app_clients WHERE tenant_id = $1 AND provider = $2 AND client_id = $3 RETURNING 1', [tenantId, provider, clientId]);
    return rows.length > 0;
  }

  async removeApp(tenantId: string, provider: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM tenant_oauth_apps WHERE tenant_id = $1 AND provider = $2 RETURNING provider', [tenantId, provider]);
    return rows.length > 0;
  }
}
