/** /{tenant}/oauth2/v2.0/authorize (HTML consent page with Allow/Cancel) and /token. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http.ts';
import type { Mailbox } from './model.ts';
import type { Fault } from './state.ts';
import { OAuthError, type IdentityPlatform } from './oauth.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const TENANT = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/;

export function isIdentityPath(path: string): boolean {
  return TENANT.test(path);
}

function consentPage(params: URLSearchParams, appName: string, users: Mailbox[]): string {
  const hidden = [...params].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('\n');
  const hint = params.get('login_hint')?.toLowerCase();
  const options = users.map((u, i) => {
    const checked = (hint ? u.email.toLowerCase() === hint : i === 0) ? ' checked' : '';
    return `<label><input type="radio" name="user" value="${esc(u.id)}"${checked}> ${esc(u.displayName)} &lt;${esc(u.email)}&gt;</label><br>`;
  }).join('\n');
  const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean).map((s) => `<li>${esc(s)}</li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Permissions requested</title></head>
<body><h1>Permissions requested</h1><p><strong>${esc(appName)}</strong> wants to:</p><ul>${scopes}</ul>
<form method="post">${hidden}
<fieldset><legend>Sign in as</legend>${options || '<p>No accounts exist in this emulator.</p>'}</fieldset>
<button type="submit" name="consent" value="allow" id="allow">Accept</button>
<button type="submit" name="consent" value="deny" id="deny">Cancel</button>
</form></body></html>`;
}

function redirect(res: ServerResponse, uri: string, mode: string | null, params: Record<string, string>): void {
  const q = new URLSearchParams(params).toString();
  if (mode === 'form_post') {
    const fields = Object.entries(params).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return void res.end(`<html><body onload="document.forms[0].submit()"><form method="post" action="${esc(uri)}">${fields}</form></body></html>`);
  }
  const sep = mode === 'fragment' ? '#' : uri.includes('?') ? '&' : '?';
  res.writeHead(302, { location: `${uri}${sep}${q}` });
  res.end();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An injected token-endpoint failure. `temporarily_unavailable` is the OAuth code for "try again"
 * (RFC 6749 §4.1.2.1, listed in provider-facts B.8); the AADSTS number and text Entra puts with a 5xx
 * or a 429 are UNCONFIRMED: AADSTS90033 "A transient error has occurred" is used.
 */
function tokenFault(f: Fault): OAuthError {
  const e = new OAuthError(f.status, f.code ?? 'temporarily_unavailable', f.message ?? 'AADSTS90033: A transient error has occurred. Please try again.');
  if (f.retryAfter !== undefined) e.retryAfter = f.retryAfter;
  return e;
}

export async function handleIdentity(req: IncomingMessage, res: ServerResponse, url: URL, idp: IdentityPlatform, users: Mailbox[], fault: Fault | null = null): Promise<void> {
  const [, , action] = TENANT.exec(url.pathname)!;
  try {
    if (action === 'token') {
      if (req.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'AADSTS900561: The endpoint only accepts POST requests.');
      const form = new URLSearchParams(await readBody(req));
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault && !fault.dropResponse && fault.status >= 400) throw tokenFault(fault);
      const answer = idp.token(form);
      // The grant is redeemed (a refresh token rotated) and the answer lost: a timeout after the fact.
      if (fault?.dropResponse) return void res.socket?.destroy();
      return sendJson(res, 200, answer, { 'cache-control': 'no-store' });
    }
    const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
    const app = idp.app(params.get('client_id'));
    const redirectUri = idp.checkRedirect(app, params.get('redirect_uri'));
    const state = params.get('state');
    const mode = params.get('response_mode');
    const fail = (error: string, description: string) => redirect(res, redirectUri, mode, { error, error_description: description, ...(state ? { state } : {}) });
    if (params.get('response_type') !== 'code') return fail('unsupported_response_type', 'AADSTS700054: response_type must be code.');
    const method = params.get('code_challenge_method');
    if (params.get('code_challenge') && method && method !== 'S256' && method !== 'plain') return fail('invalid_request', 'AADSTS501491: Invalid code_challenge_method.');
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(consentPage(params, app.name, users));
    }
    if (params.get('consent') !== 'allow') return fail('access_denied', 'AADSTS65004: User declined to consent to access the app.');
    const user = users.find((u) => u.id === params.get('user'));
    if (!user) return fail('access_denied', 'AADSTS50020: No such user.');
    const scope = (params.get('scope') ?? '').split(' ').filter(Boolean);
    const code = idp.issueCode(user.id, app, redirectUri, scope, params.get('code_challenge'), method ?? (params.get('code_challenge') ? 'plain' : null));
    return redirect(res, redirectUri, mode, { code, ...(state ? { state } : {}) });
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    if (action === 'token') return sendJson(res, e.status, e.body(), e.retryAfter === undefined ? {} : { 'retry-after': String(e.retryAfter) });
    res.writeHead(e.status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><body><h1>Sorry, but we're having trouble signing you in.</h1><p>${esc(e.description)}</p></body></html>`);
  }
}
