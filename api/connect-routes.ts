/**
 * Connecting calendars over HTTP: authorize URLs and the OAuth callback, CalDAV accounts,
 * disconnect and resync, the redirect allow-list and connect sessions (the hosted page: connect-page.ts).
 * Every route parses, calls one hub/ use case and prints.
 */
import type { FastifyInstance } from 'fastify';
import {
  allowRedirectUri, bindingCookieName, connectCaldav, createConnectSession, disconnectAccount, hubBaseUrl, getAccount, listRedirectUris,
  oauthAuthorizeUrl, oauthCallback, removeRedirectUri, resync, startSyncing, ACCESS_LEVELS, APP_NAME_MAX, isOAuthProvider, type AccessLevel, type Hub,
  getOAuthApp, removeOAuthApp, setOAuthApp, setRetiredClientSecret,
} from '../hub/index.ts';
import { donePage, errorPage, inProgressPage, returnNotAllowedPage } from './connect-html.ts';
import { html, redirect, registerConnectPage } from './connect-page.ts';
import { ApiError } from './errors.ts';
import { errorResponses, id, idParams, pathId, security } from './schemas.ts';

const provider = { type: 'string', enum: ['google', 'microsoft'] } as const;
const authorizeBody = {
  type: 'object',
  required: ['redirectUri', 'access'],
  additionalProperties: false,
  properties: {
    redirectUri: { type: 'string', minLength: 1, maxLength: 2000, description: "where the user's browser is sent back; must be on the tenant's allow-list" },
    access: { type: 'string', enum: [...ACCESS_LEVELS] },
    loginHint: { type: 'string', maxLength: 320 },
    accountId: { ...id, description: 'reconnect this account (after needs_reauth)' },
  },
} as const;
/** A connect session's body: an authorize-url request's, and the product's name for the page. */
const sessionBody = {
  ...authorizeBody,
  properties: {
    ...authorizeBody.properties,
    appName: {
      type: 'string', minLength: 1, maxLength: APP_NAME_MAX,
      description: "the product the user connects to, as the hosted page names it (\"Connect your calendar to …\", and who is given the password on the CalDAV form): plain text on one line, shown escaped. Absent: the tenant's name",
    },
  },
} as const;
const urlAnswer = { type: 'object', required: ['url', 'expiresAt'], properties: { url: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } } as const;
const connectedAnswer = {
  type: 'object',
  required: ['id', 'provider', 'access', 'calendars'],
  properties: {
    id, provider: { type: 'string' }, access: { type: 'string', enum: [...ACCESS_LEVELS], description: 'the access the account has now (a reconnect that named none keeps its own)' },
    email: { type: ['string', 'null'], description: "the account's email address, as GET /v1/accounts/{id} email: the one given, else the server's mailto: address; null when neither" },
    calendars: { type: 'array', items: { type: 'object', required: ['id', 'name', 'primary'], properties: { id, name: { type: 'string' }, primary: { type: 'boolean', description: 'the calendar the server names its default (schedule-default-calendar-URL); false for all when it names none' } } } },
  },
} as const;
const disconnectAnswer = {
  type: 'object',
  required: ['id', 'revoked', 'channelsStopped'],
  properties: {
    id,
    revoked: { type: 'string', enum: ['yes', 'not-supported', 'failed', 'no-grant', 'kept', 'deferred'], description: 'whether the grant was revoked at the provider; kept: not, because the grant may still serve another connection (the same provider user through the same OAuth client) and revoking would end it too; deferred: channel stops were queued, and the grant is revoked after the last of them (a revoked grant could not stop them)' },
    channelsStopped: { type: 'integer', minimum: 0 },
    channelsStopQueued: {
      type: 'array',
      description: 'push channels whose stop failed 5 times for a passing reason (5xx, 429, a timeout): queued, and retried by the worker with backoff until stopped or expired',
      items: { type: 'object', required: ['channelId', 'expiresAt', 'error'], properties: { channelId: { type: 'string' }, expiresAt: { type: ['string', 'null'], format: 'date-time' }, error: { type: 'string' } } },
    },
    channelsLeftRunning: {
      type: 'array',
      description: 'push channels nothing will stop (the provider refused the stop for good, or no token or resource id was left): they notify until they expire',
      items: { type: 'object', required: ['channelId', 'expiresAt', 'error'], properties: { channelId: { type: 'string' }, expiresAt: { type: ['string', 'null'], format: 'date-time' }, error: { type: 'string' } } },
    },
    copiesDeleted: { type: 'integer', minimum: 0, description: "mirror copies calhub wrote into the account's own calendars, deleted at its provider before the grant went" },
    copiesLeft: {
      type: 'array',
      description: "mirror copies in the account's own calendars not known to be gone at the provider (it refused the delete, or a sync run still writing one held the calendar): they stay there as events the user can delete",
      items: { type: 'object', required: ['calendarId', 'uid', 'remoteId', 'error'], properties: { calendarId: id, uid: { type: 'string' }, remoteId: { type: ['string', 'null'] }, error: { type: 'string' } } },
    },
    copiesElsewhere: { type: 'integer', minimum: 0, description: "copies of the account's events in other accounts' calendars, deleted in calhub; this call sends their deletes itself before it answers (a push of each such calendar, or a whole sync when no worker runs)" },
    copiesElsewhereLeft: {
      type: 'array',
      description: "the other accounts' calendars that still hold some of those copies at their provider when this call answered: how many deletes wait in that calendar's outbox, why (its push or sync failed, a sync run held its slot, the provider refused a delete), and queued (true: a worker sends them; false: no worker, the calendar's next sync sends them once the cause is mended). A delete the provider refuses for its content is tried by each push; after 3 such refusals it is parked and offered again 1 hour after its 3rd refusal, the wait doubling with each further refusal, at most a day (GET /v1/calendars/{id}/writes: state parked, nextTryAt). Empty: every such copy is gone at its provider",
      items: { type: 'object', required: ['calendarId', 'copies', 'error', 'queued'], properties: { calendarId: id, copies: { type: 'integer', minimum: 1 }, error: { type: 'string' }, queued: { type: 'boolean' } } },
    },
  },
} as const;
const namedCalendars = { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id, name: { type: 'string' } } } } as const;
const resyncAnswer = {
  type: 'object',
  required: ['accountId', 'mode', 'calendars'],
  properties: {
    accountId: id,
    mode: { type: 'string', enum: ['queue', 'in-process'] },
    calendars: { type: 'array', items: { type: 'object', required: ['id', 'outcome'], properties: { id, outcome: { type: 'string', enum: ['queued', 'failed', 'ok', 'flagged'], description: 'flagged: stopped by the mass-change guard, nothing queued until an operator unflags it (error says how)' }, error: { type: ['string', 'null'] } } } },
    calendarList: {
      type: ['object', 'null'],
      description: "The account's calendar list, read again before the syncs: calendars new at the provider (now syncing), updated (renamed, recoloured, listed again), missing from this listing (removed when one CALENDAR_GONE_AFTER_MS later still leaves them out) and removed; error when it could not be read (the known calendars sync anyway); null for an account that is not active",
      required: ['added', 'updated', 'missing', 'removed', 'guarded', 'error'],
      properties: {
        added: namedCalendars,
        updated: namedCalendars,
        missing: { type: 'array', items: { type: 'object', required: ['id', 'name', 'since'], properties: { id, name: { type: 'string' }, since: { type: 'string', format: 'date-time' } } } },
        removed: namedCalendars,
        guarded: { type: ['string', 'null'], description: 'Why nothing was marked missing although calendars were left out (an empty listing, or one naming none of the known calendars)' },
        error: { type: ['string', 'null'] },
      },
    },
  },
} as const;
const urisAnswer = { type: 'object', required: ['uris'], properties: { uris: { type: 'array', items: { type: 'string' } } } } as const;

const providerParams = { type: 'object', required: ['provider'], properties: { provider } } as const;
const appBody = {
  type: 'object',
  required: ['clientId'],
  additionalProperties: false,
  properties: {
    clientId: { type: 'string', minLength: 1, maxLength: 512 },
    clientSecret: { type: ['string', 'null'], minLength: 1, maxLength: 512, description: 'stored encrypted, never shown again; null for a public client' },
  },
} as const;
const retiredSecretBody = {
  type: 'object',
  required: ['clientSecret'],
  additionalProperties: false,
  properties: { clientSecret: { type: ['string', 'null'], minLength: 1, maxLength: 512, description: 'the replaced client\'s new secret (its old one leaked or expired); stored encrypted, never shown again; null for a public client' } },
} as const;
const retiredClientParams = { type: 'object', required: ['provider', 'clientId'], properties: { provider, clientId: pathId } } as const;
const appAnswer = {
  type: 'object',
  required: ['provider', 'clientId', 'hasSecret', 'accounts', 'retiredClients'],
  properties: {
    provider, clientId: { type: 'string' }, hasSecret: { type: 'boolean' }, accounts: { type: 'integer', minimum: 0, description: "accounts connected through this client of the app (their refresh tokens work only with it)" },
    retiredClients: {
      type: 'array',
      description: "clients this app was replaced from, kept (secret encrypted) while accounts connected through them remain, or a sign-in started with one may still come back: their grants keep refreshing, and such a sign-in finishes, through their own client; each is dropped when its last account is disconnected or reconnected. A kept client's secret is set with PUT /v1/oauth/{provider}/app/retired-clients/{clientId}",
      items: { type: 'object', required: ['clientId', 'hasSecret', 'accounts'], properties: { clientId: { type: 'string' }, hasSecret: { type: 'boolean' }, accounts: { type: 'integer', minimum: 0 } } },
    },
  },
} as const;

/** Why a resync was refused and how to reconnect, per provider (docs/errors.md ACCOUNT_NEEDS_REAUTH). */
function reauthAdvice(accountId: string, provider: string): string {
  const how = provider === 'caldav'
    ? `POST /v1/accounts/caldav with the account's new password, or a connect session (POST /v1/connect/sessions with "accountId": "${accountId}")`
    : `a connect session (POST /v1/connect/sessions with "accountId": "${accountId}") or POST /v1/oauth/${provider}/authorize-url with that accountId`;
  return `account ${accountId} needs to be connected again (its grant was revoked or its credentials were rejected), so it cannot sync; nothing was queued. Reconnect it: ${how}`;
}

type AuthorizeBody = { redirectUri: string; access: AccessLevel; loginHint?: string; accountId?: string };

const sessionAnswer = {
  type: 'object',
  required: ['id', 'url', 'expiresAt'],
  properties: {
    id: { type: 'string', description: "names the session (not its secret): the page's redirect carries it as connectSession; check it is one you made for the signed-in user" },
    url: { type: 'string' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The value of one cookie the browser sent, or null. */
function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function registerConnectRoutes(app: FastifyInstance, hub: Hub): void {
  app.post<{ Params: { provider: 'google' | 'microsoft' }; Body: AuthorizeBody }>(
    '/v1/oauth/:provider/authorize-url',
    { schema: { tags: ['connect'], summary: 'A consent URL for the tenant\'s user (PKCE, single-use state)', security, params: { type: 'object', required: ['provider'], properties: { provider } }, body: authorizeBody, response: { 200: urlAnswer, ...errorResponses } } },
    async (req) => oauthAuthorizeUrl(hub, req.tenant.tenantId, req.params.provider, req.body),
  );

  app.get<{ Params: { provider: string } }>('/oauth/:provider/callback', { schema: { hide: true } }, async (req, reply) => {
    if (!isOAuthProvider(req.params.provider)) return html(reply, 404, errorPage('Unknown provider', 'There is no such sign-in provider.', null, 'NOT_FOUND'));
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    const state = query.get('state');
    const name = state ? bindingCookieName(state) : null;
    const out = await oauthCallback(hub, req.params.provider, query, name ? cookie(req.headers.cookie, name) : null);
    // The binding cookie has done its job either way (a state taken over after a crash is finished
    // by the same callback URL, which the browser opens again with the cookie it still has).
    if (name && (out.ok || out.code !== 'STATE_IN_PROGRESS')) reply.header('set-cookie', `${name}=; Path=${new URL(`${hubBaseUrl(hub)}/oauth/${req.params.provider}/callback`).pathname}; Max-Age=0; HttpOnly; SameSite=Lax`);
    if (out.redirect) return redirect(reply, out.redirect, 302);
    if (out.ok) return reply.code(500).send();
    if (out.code === 'REDIRECT_URI_NOT_ALLOWED') return html(reply, 400, returnNotAllowedPage());
    const back = out.appUrl ?? null;
    // Opened while the first callback still holds the state: it may yet connect the account.
    // The page loads itself again every few seconds until the answer is another (inProgressPage).
    if (out.code === 'STATE_IN_PROGRESS') return html(reply, 409, inProgressPage(back));
    // Opened again (a reload, Back): nothing is exchanged twice, and the page says what became of it.
    if (out.code === 'STATE_USED') {
      return out.connected
        ? html(reply, 200, donePage('Your calendar is connected', 'This sign-in is finished and your calendar is connected. There is nothing more to do here.', back))
        : html(reply, 410, errorPage('This sign-in link was already used', 'Each sign-in link works once. To connect a calendar, start again in the app.', back, out.code));
    }
    return html(reply, 400, errorPage('This sign-in link does not work', `${out.message}.`, back, out.code));
  });

  app.post<{ Body: { url: string; username: string; password: string; access?: AccessLevel; email?: string } }>(
    '/v1/accounts/caldav',
    {
      schema: {
        tags: ['accounts'], summary: 'Connect a CalDAV account (iCloud, Fastmail, Nextcloud, …)', security,
        body: { type: 'object', required: ['url', 'username', 'password'], additionalProperties: false, properties: { url: { type: 'string', minLength: 1, maxLength: 2000 }, username: { type: 'string', minLength: 1, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1000 },
          access: { type: 'string', enum: [...ACCESS_LEVELS], description: "freebusy: calhub keeps only when the account is busy (titles, notes, places, guests never stored); read: no writes (409 ACCOUNT_READ_ONLY); readwrite. Absent: readwrite for a new account; a reconnect keeps the account's own" },
          email: { type: 'string', minLength: 3, maxLength: 320, description: "the user's email address: the ORGANIZER of meetings calhub creates on this account when the server names no address of the user (Radicale and Xandikos name none). Without it and with a username that is no email, a meeting without organizer is refused (400 ORGANIZER_UNKNOWN). Absent: a reconnect keeps the account's own" } } },
        description: 'Refusals: 400 CREDENTIALS_REJECTED (the server rejected the username or password), 400 URL_NOT_ALLOWED (a private address without CALDAV_ALLOW_PRIVATE_NETWORKS), 502 PROVIDER_REFUSED, 503 PROVIDER_UNAVAILABLE; nothing is stored.',
        response: { 201: connectedAnswer, ...errorResponses, 502: { $ref: 'Error#' }, 503: { $ref: 'Error#' } },
      },
    },
    async (req, reply) => {
      const { account, calendars } = await connectCaldav(hub, req.tenant.tenantId, { serverUrl: req.body.url, username: req.body.username, password: req.body.password, access: req.body.access, email: req.body.email });
      await startSyncing(hub, req.tenant.tenantId, account.id, calendars.map((c) => c.id));
      return reply.code(201).send({ id: account.id, provider: 'caldav', access: account.access, email: account.email, calendars: calendars.map((c) => ({ id: c.id, name: c.name, primary: c.primary })) });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/accounts/:id',
    { schema: { tags: ['accounts'], summary: 'Disconnect: revoke at the provider, stop channels, delete the account and its data', security, params: idParams, response: { 200: disconnectAnswer, ...errorResponses } } },
    async (req) => disconnectAccount(hub, req.tenant.tenantId, req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { full?: boolean } }>(
    '/v1/accounts/:id/resync',
    {
      // No body is the same as `{}`.
      preValidation: async (req) => void (req.body ??= {}),
      schema: {
        tags: ['accounts'], summary: "Sync the account's calendars now (full: list everything again instead of the changes)", security, params: idParams,
        body: { type: 'object', additionalProperties: false, properties: { full: { type: 'boolean', default: false } } },
        description: '409 ACCOUNT_NEEDS_REAUTH: the account must be connected again (its grant was revoked); nothing is queued.',
        response: { 202: resyncAnswer, ...errorResponses, 409: { $ref: 'Error#' } },
      },
    },
    async (req, reply) => {
      const account = await getAccount(hub, req.tenant.tenantId, req.params.id);
      // A revoked grant cannot sync: queuing would only fail again. Say how to fix it instead.
      if (account.status === 'needs_reauth') throw new ApiError('ACCOUNT_NEEDS_REAUTH', reauthAdvice(account.id, account.provider));
      const r = await resync(hub, req.params.id, { full: req.body.full });
      const l = r.calendarList;
      const calendarList = !l ? null : 'error' in l ? { added: [], updated: [], missing: [], removed: [], guarded: null, error: l.error } : { ...l, error: null };
      return reply.code(202).send({ accountId: r.accountId, mode: r.mode, calendarList, calendars: r.calendars.map((c) => ({ id: c.id, outcome: c.outcome, error: c.error })) });
    },
  );

  const uriBody = { type: 'object', required: ['uri'], additionalProperties: false, properties: { uri: { type: 'string', minLength: 1, maxLength: 2000 } } } as const;
  app.get('/v1/oauth/redirect-uris', { schema: { tags: ['connect'], summary: "The tenant's redirect-URI allow-list", security, response: { 200: urisAnswer, ...errorResponses } } }, async (req) => listRedirectUris(hub, req.tenant.tenantId));
  app.post<{ Body: { uri: string } }>('/v1/oauth/redirect-uris', { schema: { tags: ['connect'], summary: 'Allow a redirect URI (exact match)', security, body: uriBody, response: { 200: urisAnswer, ...errorResponses } } }, async (req) => allowRedirectUri(hub, req.tenant.tenantId, req.body.uri));
  app.delete<{ Body: { uri: string } }>('/v1/oauth/redirect-uris', { schema: { tags: ['connect'], summary: 'Remove a redirect URI', security, body: uriBody, response: { 200: urisAnswer, ...errorResponses } } }, async (req) => removeRedirectUri(hub, req.tenant.tenantId, req.body.uri));

  type AppRoute = { Params: { provider: 'google' | 'microsoft' } };
  app.put<AppRoute & { Body: { clientId: string; clientSecret?: string | null } }>(
    '/v1/oauth/:provider/app',
    { schema: { tags: ['connect'], summary: "Set the tenant's own OAuth app for a provider (new connections use it)", security, params: providerParams, body: appBody, response: { 200: appAnswer, ...errorResponses } } },
    async (req) => setOAuthApp(hub, req.tenant.tenantId, req.params.provider, req.body),
  );
  app.put<{ Params: { provider: 'google' | 'microsoft'; clientId: string }; Body: { clientSecret: string | null } }>(
    '/v1/oauth/:provider/app/retired-clients/:clientId',
    {
      schema: {
        tags: ['connect'], summary: "Set a new secret for a replaced client of the tenant's app (one of retiredClients), kept for the accounts connected through it", security,
        description: '404 NOT_FOUND when the client is not one of the app\'s retiredClients; the current client\'s secret is set with PUT /v1/oauth/{provider}/app.',
        params: retiredClientParams, body: retiredSecretBody, response: { 200: appAnswer, ...errorResponses },
      },
    },
    async (req) => setRetiredClientSecret(hub, req.tenant.tenantId, req.params.provider, req.params.clientId, req.body),
  );
  app.get<AppRoute>('/v1/oauth/:provider/app', { schema: { tags: ['connect'], summary: "The tenant's own OAuth app (never its secret)", security, params: providerParams, response: { 200: appAnswer, ...errorResponses } } }, async (req) =>
    getOAuthApp(hub, req.tenant.tenantId, req.params.provider),
  );
  app.delete<AppRoute>('/v1/oauth/:provider/app', { schema: { tags: ['connect'], summary: "Remove the tenant's own OAuth app (refused while accounts use it)", security, params: providerParams, response: { 204: { type: 'null' }, ...errorResponses } } }, async (req, reply) => {
    await removeOAuthApp(hub, req.tenant.tenantId, req.params.provider);
    return reply.code(204).send();
  });

  app.post<{ Body: AuthorizeBody & { appName?: string } }>(
    '/v1/connect/sessions',
    { schema: { tags: ['connect'], summary: 'A hosted connect page for the tenant\'s user', description: 'The page cannot be shown in a frame (frame-ancestors \'none\'): send the user to its url by redirect, or open it in a popup or new tab.', security, body: sessionBody, response: { 200: sessionAnswer, ...errorResponses } } },
    async (req) => createConnectSession(hub, req.tenant.tenantId, req.body),
  );

  registerConnectPage(app, hub);
}
