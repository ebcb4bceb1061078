/**
 * What differs between Google (provider-facts A.10) and the Microsoft identity platform (B.8):
 * endpoints, the fewest scopes for an access level, extra authorize parameters, whether refresh
 * tokens rotate, how to tell who signed in, and how a failed refresh is classified. Everything
 * else (PKCE, state, exchange, refresh, revocation) is one code path in token-client.ts.
 */
import type { OAuthAppConfig, OAuthConfig } from '../shared/config/index.ts';
import { classifyGoogleRefreshFailure, classifyMicrosoftRefreshFailure, type RefreshFailure, type TokenFailure } from './refresh-failure.ts';

export type OAuthProviderId = 'google' | 'microsoft';
export type AccessLevel = 'freebusy' | 'read' | 'readwrite';
export const OAUTH_PROVIDERS: readonly OAuthProviderId[] = ['google', 'microsoft'];
export const ACCESS_LEVELS: readonly AccessLevel[] = ['freebusy', 'read', 'readwrite'];

export interface ProviderEndpoints {
  issuer: string;
  authorize: string;
  token: string;
  /** RFC 7009 revocation; Microsoft has none for user grants. */
  revoke: string | null;
  /** Calendar API origin, handed to the connector. */
  api: string;
}

export interface ProviderIdentity {
  /** Stable per provider account: Google's primary calendar id (the email), Graph's user id. */
  externalId: string;
  displayName: string | null;
  /**
   * Graph: the mailbox's address (mail, else userPrincipalName), kept in the account's config as
   * `email` so a pull need not ask /me who owns the mailbox. Google: not set (the calendar ids say it).
   */
  mailbox?: string | null;
  /**
   * The account's address as the account views show it: Google's primary calendar id (the
   * address of the account's own calendar), Graph's /me mail, else userPrincipalName.
   */
  email?: string | null;
}

export interface OAuthProvider {
  id: OAuthProviderId;
  app: OAuthAppConfig;
  endpoints: ProviderEndpoints;
  scopesFor(access: AccessLevel): string[];
  /** The scopes the access asked needs that the user did not grant (the token response's `scope`); empty when enough. */
  missing(granted: string[], access: AccessLevel): string[];
  authorizeParams: Record<string, string>;
  /** Microsoft wants the scope on every refresh (one resource per token request). */
  sendsScopeOnRefresh: boolean;
  rotatesRefreshTokens: boolean;
  classifyRefreshFailure(f: TokenFailure): RefreshFailure;
  identify(accessToken: string, fetchFn: typeof fetch): Promise<ProviderIdentity>;
}

const G = 'https://www.googleapis.com/auth/';

function google(app: OAuthAppConfig): OAuthProvider {
  const auth = app.authBaseUrl;
  const api = app.apiBaseUrl ?? 'https://www.googleapis.com';
  return {
    id: 'google',
    app,
    endpoints: {
      issuer: auth ?? 'https://accounts.google.com',
      authorize: auth ? `${auth}/o/oauth2/v2/auth` : 'https://accounts.google.com/o/oauth2/v2/auth',
      token: auth ? `${auth}/token` : 'https://oauth2.googleapis.com/token',
      revoke: auth ? `${auth}/revoke` : 'https://oauth2.googleapis.com/revoke',
      api,
    },
    // calendar.readonly covers calendarList, events.list/watch and freeBusy; writes add
    // calendar.events rather than the full `calendar` scope (which can delete calendars), and
    // calendar.app.created, which lets calhub make calendars of its own (calendars.insert) and
    // nothing more. That one is not required (covers): a user may untick it, and only creating a
    // calendar is then refused.
    scopesFor: (access) => (access === 'readwrite' ? [`${G}calendar.readonly`, `${G}calendar.events`, `${G}calendar.app.created`] : [`${G}calendar.readonly`]),
    missing(granted, access) {
      const has = (s: string) => granted.includes(`${G}${s}`);
      if (has('calendar')) return [];
      return [...(has('calendar.readonly') ? [] : [`${G}calendar.readonly`]), ...(access === 'readwrite' && !has('calendar.events') ? [`${G}calendar.events`] : [])];
    },
    // offline + consent: a refresh token on every connection, not only the first (A.10).
    authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    sendsScopeOnRefresh: false,
    rotatesRefreshTokens: false,
    classifyRefreshFailure: classifyGoogleRefreshFailure,
    async identify(accessToken, fetchFn) {
      // The primary calendar's id is the account's email address: no extra identity scope needed.
      const res = await fetchFn(`${api}/calendar/v3/users/me/calendarList?minAccessRole=owner&maxResults=250`, { headers: { authorization: `Bearer ${accessToken}` } });
      if (!res.ok) throw new Error(`calendarList answered ${res.status}`);
      const body = (await res.json()) as { items?: Array<{ id: string; primary?: boolean; summary?: string }> };
      const primary = body.items?.find((c) => c.primary);
      if (!primary) throw new Error('the account has no primary calendar');
      return { externalId: primary.id, displayName: primary.summary ?? primary.id, email: primary.id.includes('@') ? primary.id : null };
    },
  };
}

const GRAPH_PREFIX = 'https://graph.microsoft.com/';
const normalizeGraphScope = (s: string) => s.toLowerCase().replace(GRAPH_PREFIX, '');

function microsoft(app: OAuthAppConfig & { tenant: string }): OAuthProvider {
  const login = `${app.authBaseUrl ?? 'https://login.microsoftonline.com'}/${app.tenant}`;
  const api = app.apiBaseUrl ?? 'https://graph.microsoft.com';
  return {
    id: 'microsoft',
    app,
    endpoints: { issuer: `${login}/v2.0`, authorize: `${login}/oauth2/v2.0/authorize`, token: `${login}/oauth2/v2.0/token`, revoke: null, api },
    // offline_access for a refresh token (B.8); User.Read for /me (who signed in).
    scopesFor: (access) => ['offline_access', 'User.Read', access === 'readwrite' ? 'Calendars.ReadWrite' : 'Calendars.Read'],
    // User.Read too: without it /me answers 403 and who signed in cannot be told (partial consent).
    missing(granted, access) {
      const g = granted.map(normalizeGraphScope);
      const calendars = access === 'readwrite' ? g.includes('calendars.readwrite') : g.includes('calendars.read') || g.includes('calendars.readwrite');
      return [...(g.includes('user.read') ? [] : ['User.Read']), ...(calendars ? [] : [access === 'readwrite' ? 'Calendars.ReadWrite' : 'Calendars.Read'])];
    },
    authorizeParams: { response_mode: 'query', prompt: 'select_account' },
    sendsScopeOnRefresh: true,
    rotatesRefreshTokens: true,
    classifyRefreshFailure: classifyMicrosoftRefreshFailure,
    async identify(accessToken, fetchFn) {
      const res = await fetchFn(`${api}/v1.0/me?$select=id,displayName,mail,userPrincipalName`, { headers: { authorization: `Bearer ${accessToken}` } });
      if (!res.ok) throw new Error(`/me answered ${res.status}`);
      const me = (await res.json()) as { id: string; displayName?: string; mail?: string | null; userPrincipalName?: string };
      // `mail` is null for a user without a mailbox address (UNCONFIRMED which accounts: the emulator
      // plays it with createUser `mail: null`); userPrincipalName is the sign-in name, an address.
      const email = me.mail || me.userPrincipalName || null;
      return { externalId: me.id, displayName: email ?? me.displayName ?? null, mailbox: email, email };
    },
  };
}

/** The provider with the given app (the configured one, or a tenant's own). */
export function oauthProvider(id: OAuthProviderId, config: OAuthConfig, app?: { clientId: string; clientSecret: string | null }): OAuthProvider {
  if (id === 'google') return google({ ...config.google, ...(app ?? {}) });
  return microsoft({ ...config.microsoft, ...(app ?? {}) });
}

export const isOAuthProvider = (p: string): p is OAuthProviderId => (OAUTH_PROVIDERS as readonly string[]).includes(p);
