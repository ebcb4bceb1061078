/**
 * The hosted connect page: no API key; the unguessable session id in the link is the authority.
 * Everything it answers is a page written for the person connecting (never JSON, never an
 * operator's instruction); the operator's detail goes to the log. Its form posts are refused from
 * other sites (login CSRF), a session connects one account, and CalDAV tries are counted.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  caldavLoginOf, connectCaldav, connectSession, connectableProviders, describeError, hostedAuthorizeUrl, hubBaseUrl, isEmailAddress, isOAuthProvider,
  claimConnectSession, finishConnectSession, releaseConnectSession, serverUrlProblem, sessionAccount, sessionReturnAllowed, startSyncing, takeConnectAttempt, bindingCookieName, type ConnectSession, type Hub,
  failConnectSession, sessionAppName, PAGE_DISCOVERY_DEADLINE_MS, withHttps,
} from '../hub/index.ts';
import { CALDAV_PRESETS, FIELD_LIMITS, PROGRESS_SCRIPT_HASH, caldavFormPage, chooserPage, errorPage, reconnectPage, returnNotAllowedPage, type CaldavFormState, type FormField } from './connect-html.ts';
import { formError, isFormErrorCode, type FormErrorCode } from './connect-form-errors.ts';
import { HubError } from '../shared/errors.ts';

export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // No script but the CalDAV form's progress, by its hash. frame-ancestors 'none': never in a frame
  // (clickjacking; the providers' consent pages refuse framing too): open it by redirect or popup.
  'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${PROGRESS_SCRIPT_HASH}; form-action *; frame-ancestors 'none'`,
  // The page's address carries the session secret: it must not leave in a Referer header.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;

export const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).headers(PAGE_HEADERS).send(body);
/** A redirect that no cache may keep (it carries a state, an account id or a session). */
export const redirect = (reply: FastifyReply, url: string, status: 302 | 303) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(url, status);

/** The form's message for a refused connect: a name that does not resolve is told apart from a server that is not CalDAV. */
function pageErrorOf(e: unknown): FormErrorCode {
  const { code = '', reason } = e as { code?: string; reason?: string };
  if (code === 'PROVIDER_REFUSED' && reason === 'host-unknown') return 'HOST_UNKNOWN';
  return isFormErrorCode(code) ? code : 'OTHER';
}

/**
 * Every way back to the app from the page says why, as a refused sign-in does: the tenant's return
 * address with `error` (one of these stable codes), `error_description`, and `connectSession` so
 * the product knows whose attempt ended. Cancel is one of them; a session used up, tried too often,
 * made for an account since deleted, or asked for a sign-in it does not offer are the others.
 */
const BACK_CODES = [
  { code: 'CANCELLED', description: 'the user cancelled on the connect page; nothing was connected' },
  { code: 'SESSION_USED', description: 'this connect session already connected an account; nothing more was connected' },
  { code: 'TOO_MANY_ATTEMPTS', description: 'this connect session was used for too many tries; nothing was connected' },
  { code: 'ACCOUNT_GONE', description: 'the account this connect session was made to reconnect no longer exists; nothing was connected' },
  { code: 'PROVIDER_NOT_OFFERED', description: 'the sign-in chosen is not one this connect session offers; nothing was connected' },
] as const;
export type BackCode = (typeof BACK_CODES)[number]['code'];

export function backUrl(session: ConnectSession, code: BackCode): string {
  const u = new URL(session.redirectUri);
  u.searchParams.set('error', code);
  u.searchParams.set('error_description', BACK_CODES.find((b) => b.code === code)!.description);
  u.searchParams.set('connectSession', session.ref);
  return u.toString();
}

/** Where Cancel goes. */
export const cancelUrl = (session: ConnectSession): string => backUrl(session, 'CANCELLED');

/**
 * A typed server address to show again: without the user name and password someone put in it (they
 * are never sent back). One that is no web address is kept only when nothing in it could be a login.
 */
function withoutCredentials(typed: string): string {
  const u = URL.parse(typed);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return typed.includes('@') ? '' : typed;
  u.username = '';
  u.password = '';
  return u.toString();
}

/** A query or form value given once as a string; anything else (repeated, missing) is null. */
const one = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function registerConnectPage(app: FastifyInstance, hub: Hub): void {
  app.register(async (scope) => {
    // Repeated fields stay arrays, so `one` can refuse them instead of taking the last.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(body as string)) out[k] = k in out ? ([] as string[]).concat(out[k]!, v) : v;
      done(null, out);
    });
    scope.setErrorHandler((err, req, reply) => {
      req.log.warn({ err: describeError(err), url: req.routeOptions.url }, 'connect page failed');
      const status = (err as { statusCode?: number }).statusCode;
      return status && status >= 400 && status < 500
        ? html(reply, 400, errorPage('This page could not be opened', 'The link or form was not complete. Go back to the app and start again.'))
        : html(reply, 500, errorPage('Something went wrong', 'The calendar could not be connected. Please try again later.'));
    });

    const badLink = (reply: FastifyReply) => html(reply, 400, errorPage('This link is not valid', 'Open the link the app gave you exactly as it is, or ask the app for a new one.'));
    const expired = (reply: FastifyReply) => html(reply, 404, errorPage('This link is no longer valid', 'It has expired, or it was never a valid link. Ask the application that sent you here for a new one.'));
    /**
     * A spent session: it connected an account, or the page told the product it failed (its way
     * back carried that code) and it stays failed, with the same code in its way back.
     */
    const spent = async (reply: FastifyReply, session: ConnectSession, linked = true) => {
      const app = await sessionAppName(hub, session);
      const back = (code: BackCode) => (linked ? backUrl(session, code) : null);
      if (session.failedCode === 'TOO_MANY_ATTEMPTS') return tooMany(reply, session, app, 410, linked);
      if (session.failedCode === 'ACCOUNT_GONE') return html(reply, 404, goneError(session, app, linked));
      return html(reply, 410, errorPage('This link was already used', `A calendar was connected with this link. To connect another, start again in ${app}.`, back('SESSION_USED'), null, app));
    };
    const tooMany = (reply: FastifyReply, session: ConnectSession, app: string, status: 410 | 429, linked = true) =>
      html(reply, status, errorPage('Too many attempts', `This link was used for too many tries. Start again in ${app} to get a new one.`, linked ? backUrl(session, 'TOO_MANY_ATTEMPTS') : null, null, app));
    const goneError = (session: ConnectSession, app: string, linked = true) =>
      errorPage('This account is gone', `The calendar account this link was made for no longer exists. Start again in ${app}.`, linked ? backUrl(session, 'ACCOUNT_GONE') : null, null, app);
    /** A reconnect session whose account was deleted: the product is told (ACCOUNT_GONE), and the session is dead. */
    const gone = async (reply: FastifyReply, session: ConnectSession) => {
      await failConnectSession(hub, session, 'ACCOUNT_GONE');
      return html(reply, 404, goneError(session, await sessionAppName(hub, session)));
    };
    const crossSite = (reply: FastifyReply) => html(reply, 403, errorPage('This request was refused', 'The form was sent from another website. Open the link the app gave you and connect from there.'));

    /**
     * The live, unspent session a request names, or the page that answers instead. A session whose
     * return address left the allow-list offers nothing (not even a link back there): the sign-in
     * start and the callback would refuse it, and a CalDAV connect would end there.
     */
    async function open(reply: FastifyReply, raw: unknown): Promise<ConnectSession | null> {
      const s = one(raw);
      if (s === null || s.length > 200) return (await badLink(reply), null);
      const session = await connectSession(hub, s);
      if (!session) return (await expired(reply), null);
      const allowed = await sessionReturnAllowed(hub, session);
      if (session.usedAt) return (await spent(reply, session, allowed), null);
      if (!allowed) {
        reply.log.warn({ code: 'REDIRECT_URI_NOT_ALLOWED', tenantId: session.tenantId }, "connect page: the session's redirect URI is no longer on its tenant's allow-list");
        return (await html(reply, 400, returnNotAllowedPage()), null);
      }
      return session;
    }
    const reconnecting = (session: ConnectSession) => sessionAccount(hub, session);

    scope.get<{ Querystring: Record<string, unknown> }>('/connect', { schema: { hide: true } }, async (req, reply) => {
      const session = await open(reply, req.query.session);
      if (!session) return reply;
      const s = req.query.session as string;
      const app = await sessionAppName(hub, session);
      if (session.accountId) {
        const account = await reconnecting(session);
        if (!account) return gone(reply, session);
        return html(reply, 200, reconnectPage(s, { name: account.displayName ?? account.externalId, provider: account.provider as 'google' | 'microsoft' | 'caldav' }, cancelUrl(session), app));
      }
      const oauth = (await connectableProviders(hub, session.tenantId)).map((id) => ({ id, name: id === 'google' ? 'Google' : 'Microsoft 365 / Outlook' }));
      return html(reply, 200, chooserPage(s, oauth, cancelUrl(session), app));
    });

    scope.post<{ Params: { provider: string }; Body: Record<string, unknown> | undefined }>('/connect/oauth/:provider', { schema: { hide: true } }, async (req, reply) => {
      if (isCrossSite(req, hub)) return crossSite(reply);
      const session = await open(reply, req.body?.session);
      if (!session) return reply;
      const provider = req.params.provider;
      const account = await reconnecting(session);
      if (session.accountId && !account) return gone(reply, session);
      if (!isOAuthProvider(provider) || (session.accountId && account?.provider !== provider)) {
        return html(reply, 404, errorPage('This sign-in is not offered here', 'Go back and choose one of the options on the page.', backUrl(session, 'PROVIDER_NOT_OFFERED')));
      }
      let started;
      try {
        started = await hostedAuthorizeUrl(hub, session, provider);
      } catch (e) {
        // REDIRECT_URI_NOT_ALLOWED, PROVIDER_NOT_CONFIGURED, NOT_FOUND: the app's setup, not the person's doing.
        req.log.warn({ provider, err: describeError(e) }, 'connect page could not start a sign-in');
        // The return address was taken off the allow-list after the session was made: not a passing
        // outage, and the address is not linked (no longer trusted).
        if (e instanceof HubError && e.code === 'REDIRECT_URI_NOT_ALLOWED') return html(reply, 400, returnNotAllowedPage());
        return html(reply, 503, errorPage('This sign-in is not available', 'The app is not set up to connect this kind of calendar right now. Please try again later or contact the app\'s support.'));
      }
      const secure = hubBaseUrl(hub).startsWith('https:') ? '; Secure' : '';
      const path = new URL(`${hubBaseUrl(hub)}/oauth/${provider}/callback`).pathname;
      const maxAge = Math.ceil(hub.config.oauth.stateTtlMs / 1000);
      reply.header('set-cookie', `${bindingCookieName(started.state)}=${started.nonce}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`);
      return redirect(reply, started.url, 303);
    });

    scope.get<{ Querystring: Record<string, unknown> }>('/connect/caldav', { schema: { hide: true } }, async (req, reply) => {
      const session = await open(reply, req.query.session);
      if (!session) return reply;
      const s = req.query.session as string;
      const form = await formFor(session, one(req.query.preset));
      if (form === 'gone') return gone(reply, session);
      if (!form) return redirect(reply, `/connect?session=${encodeURIComponent(s)}`, 303);
      const code = one(req.query.error);
      const kept = (f: FormField) => {
        const v = one(req.query[f]);
        return v && v.length <= FIELD_LIMITS[f] ? v : '';
      };
      const tooLong = (one(req.query.long) ?? '').split(',').filter((f): f is FormField => f in FIELD_LIMITS);
      const error = code && isFormErrorCode(code) ? formError(code, { preset: form.preset, fixed: Boolean(form.state.fixed) }, tooLong) : undefined;
      return html(reply, 200, caldavFormPage(s, form.preset, { ...form.state, error, url: kept('url'), username: kept('username'), email: kept('email') }));
    });

    scope.post<{ Body: Record<string, unknown> | undefined }>('/connect/caldav', { schema: { hide: true } }, async (req, reply) => {
      if (isCrossSite(req, hub)) return crossSite(reply);
      const b = req.body ?? {};
      const session = await open(reply, b.session);
      if (!session) return reply;
      const s = b.session as string;
      const form = await formFor(session, one(b.preset));
      if (form === 'gone') return gone(reply, session);
      if (!form) return redirect(reply, `/connect?session=${encodeURIComponent(s)}`, 303);
      // A bare host ("caldav.fastmail.com", "dav.example.com:8443") is an https:// address.
      const typed = { url: withHttps((one(b.url) ?? '').trim()), username: one(b.username) ?? '', password: one(b.password) ?? '', email: (one(b.email) ?? '').trim() };
      // Post-redirect-get: the form comes back with the error and what was typed, and Back works.
      // The password never travels back, nor credentials typed into the server address.
      const long = (Object.keys(FIELD_LIMITS) as FormField[]).filter((f) => typed[f].length > FIELD_LIMITS[f]);
      const again = (code: FormErrorCode) => {
        const q = new URLSearchParams({ session: s, preset: form.preset.id, error: code });
        if (long.length) q.set('long', long.join(','));
        const keep = (f: 'url' | 'username' | 'email', v: string) => {
          if (v && v.length <= FIELD_LIMITS[f]) q.set(f, v);
        };
        if (!form.preset.serverUrl && !form.state.fixed) keep('url', serverUrlProblem(typed.url) ? withoutCredentials(typed.url) : typed.url);
        if (!form.state.fixed) keep('username', typed.username);
        keep('email', typed.email);
        return redirect(reply, `/connect/caldav?${q}`, 303);
      };
      if (long.length) return again('TOO_LONG');
      // Checked before a try is spent and before the server is asked: a typo is not a failed login.
      if (typed.email && !isEmailAddress(typed.email)) return again('EMAIL_INVALID');
      const login = form.state.fixed
        ? { serverUrl: form.state.fixed.url, username: form.state.fixed.username, password: typed.password }
        : { serverUrl: form.preset.serverUrl ?? typed.url, username: typed.username, password: typed.password };
      const problem = serverUrlProblem(login.serverUrl);
      if (problem) return again(problem === 'credentials' ? 'URL_CREDENTIALS' : 'NOT_HTTP');
      if (!(await takeConnectAttempt(hub, s))) {
        const now = await connectSession(hub, s);
        if (now?.usedAt) return spent(reply, now);
        // The product is told the session failed: it is dead from here on (nothing more connects).
        await failConnectSession(hub, session, 'TOO_MANY_ATTEMPTS');
        return tooMany(reply, session, await sessionAppName(hub, session), 429);
      }
      // Taken before the server is asked, so that of two submits (two tabs, a double click) one connects.
      if ((await claimConnectSession(hub, session.ref)) === 'used') return spent(reply, session);
      let connected;
      try {
        connected = await connectCaldav(hub, session.tenantId, { ...login, access: session.access, ...(typed.email ? { email: typed.email } : {}) }, session.accountId, { deadlineMs: PAGE_DISCOVERY_DEADLINE_MS });
        await finishConnectSession(hub, session.ref);
      } catch (e) {
        await releaseConnectSession(hub, session.ref);
        const code = (e as { code?: string }).code ?? '';
        req.log.info({ code, err: describeError(e) }, 'connect page: CalDAV connect refused');
        const key: FormErrorCode = code === 'VALIDATION_FAILED' && session.accountId ? 'MISMATCH' : pageErrorOf(e);
        return again(key);
      }
      const { account, calendars } = connected;
      const back = new URL(session.redirectUri);
      back.searchParams.set('accountId', account.id);
      back.searchParams.set('connectSession', session.ref);
      try {
        await startSyncing(hub, session.tenantId, account.id, calendars.map((c) => c.id));
      } catch (e) {
        // Connected and kept: the first sync is asked again by the account's next calendar reading.
        req.log.warn({ accountId: account.id, err: describeError(e) }, 'connect page: connected, but the first sync was not started');
      }
      return redirect(reply, back.toString(), 303);
    });

    /** The form a session may show: a reconnect is its account's server and user, fixed. */
    /** 'gone': a reconnect session whose account was deleted; null: the session has no CalDAV form. */
    async function formFor(session: ConnectSession, presetId: string | null): Promise<{ preset: (typeof CALDAV_PRESETS)[number]; state: CaldavFormState } | 'gone' | null> {
      const generic = CALDAV_PRESETS.at(-1)!;
      const app = await sessionAppName(hub, session);
      if (!session.accountId) return { preset: CALDAV_PRESETS.find((p) => p.id === presetId) ?? generic, state: { back: cancelUrl(session), app } };
      const account = await reconnecting(session);
      if (!account) return 'gone';
      const login = caldavLoginOf(hub, account);
      return login ? { preset: generic, state: { back: cancelUrl(session), app, fixed: { url: login.serverUrl, username: login.username } } } : null;
    }
  });
}

/**
 * A form post from another site (login CSRF: the attacker's session in the victim's browser).
 * Browsers say where a request comes from (Sec-Fetch-Site, Origin); a client that sends neither
 * is no browser, and no victim's browser to trick, so it passes.
 */
export function isCrossSite(req: FastifyRequest, hub: Hub): boolean {
  const site = req.headers['sec-fetch-site'];
  // Sec-Fetch-Site decides when sent: our own pages' posts carry `Origin: null`, because they are
  // served with Referrer-Policy: no-referrer (Fetch standard, "serializing a request origin").
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const own = hub.config.publicUrl ? new URL(hub.config.publicUrl).origin : `${req.protocol}://${req.headers.host ?? ''}`;
  return origin !== own;
}
