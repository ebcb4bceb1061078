/**
 * Microsoft identity platform v2.0 (provider-facts B.8): consent page, authorization code + PKCE
 * (S256), refresh tokens only with offline_access, a new refresh token on every refresh (the old
 * one keeps working until revoked, as refresh-tokens.md says), AADSTS-style errors.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface App { clientId: string; clientSecret: string | null; redirectUris: string[]; name: string }
export interface Grant { userId: string; clientId: string; scope: string[]; revoked: boolean }
export interface AccessToken { grant: Grant; expiresMs: number }

export class OAuthError extends Error {
  /** Retry-After seconds (an injected 429 or 5xx); no header when undefined. */
  retryAfter?: number;
  constructor(readonly status: number, readonly error: string, readonly description: string) {
    super(description);
  }
  body(): Record<string, unknown> {
    const code = Number(/AADSTS(\d+)/.exec(this.description)?.[1] ?? 0);
    return {
      error: this.error, error_description: this.description, error_codes: code ? [code] : [],
      timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
      trace_id: crypto.randomUUID(), correlation_id: crypto.randomUUID(),
    };
  }
}

interface Code { grant: Grant; redirectUri: string; challenge: string | null; method: string | null; expiresMs: number }

const tok = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;
export const ACCESS_TOKEN_SECONDS = 3599;

export class IdentityPlatform {
  readonly apps = new Map<string, App>();
  private codes = new Map<string, Code>();
  /** Codes already exchanged: a second exchange is AADSTS54005, not "expired" (E, B.8). */
  private redeemed = new Set<string>();
  private refreshTokens = new Map<string, Grant>();
  private accessTokens = new Map<string, AccessToken>();
  /** Every token-endpoint call by grant type, in order (tests count refreshes). */
  readonly tokenRequests: string[] = [];
  /** One-shot failures: the next refresh answers invalid_grant without revoking anything. */
  failNextRefresh = 0;
  constructor(private readonly now: () => number = Date.now) {}

  /** With no registered apps every client id is accepted (sandbox mode). */
  app(clientId: string | null): App {
    if (!clientId) throw new OAuthError(400, 'invalid_request', "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
    const a = this.apps.get(clientId);
    if (a) return a;
    if (this.apps.size === 0) return { clientId, clientSecret: null, redirectUris: [], name: clientId };
    throw new OAuthError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`);
  }

  checkRedirect(app: App, uri: string | null): string {
    if (!uri || (app.redirectUris.length > 0 && !app.redirectUris.includes(uri))) {
      throw new OAuthError(400, 'invalid_request', "AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.");
    }
    return uri;
  }

  issueCode(userId: string, app: App, redirectUri: string, scope: string[], challenge: string | null, method: string | null): string {
    const code = tok('0.AX');
    this.codes.set(code, { grant: { userId, clientId: app.clientId, scope, revoked: false }, redirectUri, challenge, method, expiresMs: this.now() + 600_000 });
    return code;
  }

  /** Issues tokens for a grant; refresh token only with offline_access. */
  issueTokens(grant: Grant): Record<string, unknown> {
    const access = tok('EwB');
    this.accessTokens.set(access, { grant, expiresMs: this.now() + ACCESS_TOKEN_SECONDS * 1000 });
    const out: Record<string, unknown> = {
      token_type: 'Bearer', scope: grant.scope.filter((s) => s !== 'offline_access').join(' '),
      expires_in: ACCESS_TOKEN_SECONDS, ext_expires_in: ACCESS_TOKEN_SECONDS, access_token: access,
    };
    if (grant.scope.includes('offline_access')) {
      const refresh = tok('M.C5');
      this.refreshTokens.set(refresh, grant);
      out.refresh_token = refresh;
    }
    if (grant.scope.includes('openid')) {
      const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      out.id_token = `${b({ typ: 'JWT', alg: 'none' })}.${b({ aud: grant.clientId, oid: grant.userId, tid: 'emulator' })}.`;
    }
    return out;
  }

  token(form: URLSearchParams): Record<string, unknown> {
    this.tokenRequests.push(form.get('grant_type') ?? '');
    const app = this.app(form.get('client_id'));
    if (app.clientSecret && form.get('client_secret') !== app.clientSecret && !form.get('code_verifier')) {
      throw new OAuthError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    const type = form.get('grant_type');
    if (type === 'authorization_code') {
      const presented = form.get('code') ?? '';
      if (this.redeemed.has(presented)) {
        throw new OAuthError(400, 'invalid_grant', 'AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
      }
      const code = this.codes.get(presented);
      this.codes.delete(presented);
      if (code) this.redeemed.add(presented);
      if (!code || code.expiresMs < this.now() || code.grant.clientId !== app.clientId) {
        throw new OAuthError(400, 'invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.');
      }
      if (form.get('redirect_uri') !== code.redirectUri) throw new OAuthError(400, 'invalid_grant', 'AADSTS50011: The redirect URI does not match the one used in the authorization request.');
      if (code.challenge) {
        const verifier = form.get('code_verifier') ?? '';
        const s256 = createHash('sha256').update(verifier).digest('base64url');
        if ((code.method === 'S256' ? s256 : verifier) !== code.challenge) {
          throw new OAuthError(400, 'invalid_grant', 'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.');
        }
      }
      return this.issueTokens(code.grant);
    }
    if (type === 'refresh_token') {
      const grant = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (this.failNextRefresh > 0) {
        this.failNextRefresh -= 1;
        throw new OAuthError(400, 'invalid_grant', 'AADSTS50173: The provided grant has expired due to it being revoked.');
      }
      if (!grant || grant.revoked || grant.clientId !== app.clientId) {
        throw new OAuthError(400, 'invalid_grant', 'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.');
      }
      const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
      const extra = asked.filter((s) => !grant.scope.includes(s) && !['openid', 'profile', 'email', 'offline_access'].includes(s));
      if (extra.length > 0) throw new OAuthError(400, 'invalid_grant', `AADSTS65001: The user or administrator has not consented to use the application: ${extra.join(' ')}.`);
      return this.issueTokens(grant);
    }
    throw new OAuthError(400, 'unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${type ?? ''}'.`);
  }

  /** The access token's grant, or the reason it is not usable. */
  check(access: string): AccessToken | 'expired' | 'invalid' {
    const t = this.accessTokens.get(access);
    if (!t || t.grant.revoked) return 'invalid';
    if (t.expiresMs <= this.now()) return 'expired';
    return t;
  }

  revoke(userId: string): number {
    let n = 0;
    for (const g of new Set([...this.refreshTokens.values(), ...[...this.accessTokens.values()].map((t) => t.grant)])) {
      if (g.userId === userId && !g.revoked) {
        g.revoked = true;
        n += 1;
      }
    }
    return n;
  }

  expireAccessTokens(userId: string): void {
    for (const t of this.accessTokens.values()) if (t.grant.userId === userId) t.expiresMs = 0;
  }
}
