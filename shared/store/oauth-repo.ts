/**
 * Rows behind the OAuth connection flows (migration 0006): a tenant's redirect allow-list, pending
 * authorizations (state), connect-page sessions and the tenant's own OAuth apps. Secrets arrive
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
}

export interface ConnectSession {
  tenantId: string;
  redirectUri: string;
  access: AccessLevel;
  loginHint: string | null;
  accountId: string | null;
  expiresAt: Date;
}

export interface TenantOAuthApp {
  provider: string;
  clientId: string;
  /** Encrypted envelope, or null for a public client. */
  clientSecret: string | null;
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
};

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
    // Expired rows are swept on the way in, so the table stays as small as the live flows.
    await this.db.query('DELETE FROM oauth_states WHERE expires_at < now()');
    await this.db.query(
      `INSERT INTO oauth_states (state_hash, tenant_id, provider, verifier, redirect_uri, access, account_id, login_hint, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [secretHash(state), p.tenantId, p.provider, p.verifier, p.redirectUri, p.access, p.accountId, p.loginHint, p.expiresAt],
    );
  }

  /** Single use: the row is deleted by the one call that gets it back, expired or not. */
  async consumePending(state: string): Promise<PendingAuthorization | null> {
    const rows = await this.db.query<StateRow>('DELETE FROM oauth_states WHERE state_hash = $1 RETURNING *', [secretHash(state)]);
    const r = rows[0];
    if (!r) return null;
    return {
      tenantId: r.tenant_id, provider: r.provider, verifier: r.verifier, redirectUri: r.redirect_uri, access: r.access,
      accountId: r.account_id, loginHint: r.login_hint, expiresAt: new Date(r.expires_at),
    };
  }

  async createSession(id: string, s: ConnectSession): Promise<void> {
    await this.db.query('DELETE FROM connect_sessions WHERE expires_at < now()');
    await this.db.query(
      'INSERT INTO connect_sessions (id, tenant_id, redirect_uri, access, login_hint, account_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [secretHash(id), s.tenantId, s.redirectUri, s.access, s.loginHint, s.accountId, s.expiresAt],
    );
  }

  async session(id: string): Promise<ConnectSession | null> {
    const rows = await this.db.query<StateRow>('SELECT * FROM connect_sessions WHERE id = $1 AND expires_at > now()', [secretHash(id)]);
    const r = rows[0];
    return r ? { tenantId: r.tenant_id, redirectUri: r.redirect_uri, access: r.access, loginHint: r.login_hint, accountId: r.account_id, expiresAt: new Date(r.expires_at) } : null;
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

  async removeApp(tenantId: string, provider: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM tenant_oauth_apps WHERE tenant_id = $1 AND provider = $2 RETURNING provider', [tenantId, provider]);
    return rows.length > 0;
  }
}
