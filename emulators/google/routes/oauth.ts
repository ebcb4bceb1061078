/**
 * OAuth 2.0 (A.10): a consent page with an Allow button, the token endpoint (authorization_code
 * with PKCE S256, refresh_token) and revocation. Any client_id is accepted; redirect_uri and the
 * PKCE verifier are checked (with strictClients, a refresh token only with its own client_id). A
 * refresh token is issued only with access_type=offline and, as at
 * Google, only on the first authorization unless prompt=consent. Like Google's granular consent
 * screen, each requested scope is a ticked checkbox the user may untick: the code then carries
 * only the scopes left ticked, and the token response's `scope` says so (a partial grant).
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Res, route, type Route } from '../http.ts';
import type { EmulatorState, Grant } from '../state.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const tokenError = (error: string, description: string, status = 400): Res => ({ status, json: { error, error_description: description } });

function consentPage(state: EmulatorState, q: Record<string, string>): string {
  const hidden = Object.entries({ ...q, scope_choice: '1' })
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n      ');
  const options = [...state.users.values()]
    .map((u) => `<option value="${esc(u.email)}"${u.email === q.login_hint ? ' selected' : ''}>${esc(u.displayName)} &lt;${esc(u.email)}&gt;</option>`)
    .join('');
  const scopes = (q.scope ?? '').split(' ').filter(Boolean)
    .map((s, i) => `<li><label><input type="checkbox" name="grant_${i}" value="${esc(s)}" checked> ${esc(s)}</label></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts (emulator)</title></head>
<body>
  <h1>Google Calendar emulator</h1>
  <p>The application <strong>${esc(q.client_id ?? '')}</strong> wants to access your Google Account:</p>
  <form method="post" action="/o/oauth2/v2/auth">
      <fieldset><legend>Select what it can access</legend><ul>${scopes}</ul></fieldset>
      ${hidden}
      <label>Account <select name="account">${options}</select></label>
      <button type="submit" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="deny">Cancel</button>
  </form>
</body></html>`;
}

function redirect(uri: string, params: Record<string, string>): Res {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return { status: 302, headers: { location: u.toString() } };
}

function issueTokens(state: EmulatorState, grant: Grant, includeRefresh: boolean): Res {
  const { token, expiresIn } = state.issueAccessToken(grant.id);
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    json: {
      access_token: token,
      expires_in: expiresIn,
      ...(includeRefresh && grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
      scope: grant.scope,
      token_type: 'Bearer',
    },
  };
}

export function oauthRoutes(state: EmulatorState): Route[] {
  return [
    route('GET', '/o/oauth2/v2/auth', (req) => {
      const q = req.query as Record<string, string>;
      if (!q.client_id || !q.redirect_uri || q.response_type !== 'code') {
        return { status: 400, text: 'Error 400: invalid_request (client_id, redirect_uri and response_type=code are required)' };
      }
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, text: consentPage(state, q) };
    }, false),
    route('POST', '/o/oauth2/v2/auth', (req) => {
      const f = (req.body ?? {}) as Record<string, string>;
      const state_: Record<string, string> = f.state === undefined ? {} : { state: f.state };
      if (!f.redirect_uri) return { status: 400, text: 'missing redirect_uri' };
      if (f.decision !== 'allow') return redirect(f.redirect_uri, { error: 'access_denied', ...state_ });
      const email = f.account ?? f.login_hint ?? '';
      if (!state.users.has(email)) return { status: 400, text: 'unknown account' };
      if (f.code_challenge && f.code_challenge_method !== 'S256') return redirect(f.redirect_uri, { error: 'invalid_request', ...state_ });
      const code = `4/emu-${randomBytes(18).toString('base64url')}`;
      // A form from the consent page lists the ticked scopes; a scripted POST without it grants all.
      const granted = f.scope_choice === '1'
        ? Object.entries(f).filter(([k]) => /^grant_\d+$/.test(k)).map(([, v]) => v).join(' ')
        : (f.scope ?? '');
      state.authCodes.set(code, {
        email,
        clientId: f.client_id ?? '',
        redirectUri: f.redirect_uri,
        scope: granted,
        codeChallenge: f.code_challenge ?? null,
        codeChallengeMethod: f.code_challenge_method ?? null,
        offline: f.access_type === 'offline',
        forceConsent: (f.prompt ?? '').split(' ').includes('consent'),
        includeGranted: f.include_granted_scopes === 'true',
        expiresAtMs: state.now() + 10 * 60_000,
      });
      return redirect(f.redirect_uri, { code, scope: granted, ...state_ });
    }, false),
    route('POST', '/token', (req) => {
      const f = (req.body ?? {}) as Record<string, string>;
      if (f.grant_type === 'authorization_code') {
        const c = state.authCodes.get(f.code ?? '');
        state.authCodes.delete(f.code ?? '');
        if (!c || c.expiresAtMs < state.now()) return tokenError('invalid_grant', 'Malformed auth code.');
        if (c.redirectUri !== f.redirect_uri || c.clientId !== f.client_id) return tokenError('invalid_grant', 'Bad Request');
        if (c.codeChallenge !== null) {
          const digest = createHash('sha256').update(f.code_verifier ?? '').digest('base64url');
          if (digest !== c.codeChallenge) return tokenError('invalid_grant', 'Invalid code verifier.');
        }
        const previous = [...state.grants.values()].find((g) => g.email === c.email && g.clientId === c.clientId && !g.revoked);
        // "The refresh_token is only returned on the first authorization" unless prompt=consent.
        const fresh = c.offline && (!previous || c.forceConsent);
        // Incremental authorization: earlier scopes carry over only with include_granted_scopes.
        const scope = previous && c.includeGranted ? [...new Set([...previous.scope.split(' '), ...c.scope.split(' ')])].filter(Boolean).join(' ') : c.scope;
        const grant: Grant = previous && !fresh
          ? Object.assign(previous, { scope })
          : { id: randomBytes(9).toString('base64url'), email: c.email, clientId: c.clientId, scope, refreshToken: c.offline ? `1//emu-${randomBytes(24).toString('base64url')}` : null, revoked: false };
        state.grants.set(grant.id, grant);
        return issueTokens(state, grant, fresh);
      }
      if (f.grant_type === 'refresh_token') {
        const grant = [...state.grants.values()].find((g) => g.refreshToken !== null && g.refreshToken === f.refresh_token);
        if (!grant || grant.revoked) return tokenError('invalid_grant', 'Token has been expired or revoked.');
        if (state.strictClients && grant.clientId !== f.client_id) return tokenError('invalid_grant', 'Bad Request');
        return issueTokens(state, grant, false);
      }
      return tokenError('unsupported_grant_type', `Invalid grant_type: ${f.grant_type ?? ''}`);
    }, false),
    route('POST', '/revoke', (req) => {
      const token = ((req.body ?? {}) as Record<string, string>).token ?? (req.query.token as string | undefined) ?? '';
      const viaAccess = state.accessTokens.get(token)?.grantId;
      const grant = viaAccess ? state.grants.get(viaAccess) : [...state.grants.values()].find((g) => g.refreshToken === token);
      if (!grant || grant.revoked) return tokenError('invalid_token', 'Token expired or revoked');
      // Revoking either token revokes the whole grant (A.10).
      grant.revoked = true;
      return { status: 200, json: {} };
    }, false),
  ];
}
