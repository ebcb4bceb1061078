/**
 * The tenant's side of connecting: its redirect-URI allow-list, and hosted connect-page sessions
 * (the same fields as an authorize-url request, good for a while, opened by the tenant's user).
 */
import { randomBytes } from 'node:crypto';
import type { AccessLevel } from '../oauth/index.ts';
import { AuthorizeError } from '../oauth/index.ts';
import { ValidationError } from '../shared/errors.ts';
import { secretHash, type AccountRow, type ConnectSession } from '../shared/store/index.ts';
export type { ConnectSession };
import { hubBaseUrl } from './accounts/connect-oauth.ts';
import { MissingError } from './errors.ts';
import type { Hub } from './open-hub.ts';

const SESSION_TTL_MS = 60 * 60_000;

/**
 * A redirect URI a tenant may register: absolute, no fragment (RFC 6749 §3.1.2), https — or plain
 * http to this machine only (development), as the OAuth security BCP allows for loopback.
 */
export function checkRedirectUri(uri: string): string {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new ValidationError('redirect URI must be an absolute URL');
  }
  if (u.hash || uri.includes('#')) throw new ValidationError('redirect URI must not have a fragment');
  if (u.username || u.password) throw new ValidationError('redirect URI must not carry credentials');
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new ValidationError('redirect URI must be https:// (http:// only for localhost)');
  return uri;
}

export async function allowRedirectUri(hub: Hub, tenantId: string, uri: string): Promise<{ uris: string[] }> {
  if (!(await hub.store.tenants.get(tenantId))) throw new MissingError('tenant', tenantId);
  await hub.store.oauth.allowRedirect(tenantId, checkRedirectUri(uri));
  return { uris: await hub.store.oauth.redirectUris(tenantId) };
}

export async function removeRedirectUri(hub: Hub, tenantId: string, uri: string): Promise<{ uris: string[] }> {
  if (!(await hub.store.oauth.disallowRedirect(tenantId, uri))) throw new MissingError('redirect URI', uri, tenantId);
  return { uris: await hub.store.oauth.redirectUris(tenantId) };
}

export async function listRedirectUris(hub: Hub, tenantId: string): Promise<{ uris: string[] }> {
  return { uris: await hub.store.oauth.redirectUris(tenantId) };
}

export interface SessionRequest {
  redirectUri: string;
  access: AccessLevel;
  loginHint?: string | null;
  accountId?: string | null;
  /** The product the user connects to, as the page names it (plain text); absent: the tenant's name. */
  appName?: string | null;
}

/** The longest appName: a product's name, not a sentence. */
export const APP_NAME_MAX = 100;

/** A product name the page may show: plain text on one line, not blank, at most APP_NAME_MAX characters. */
export function checkAppName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new ValidationError('appName must not be blank', ['appName']);
  if (trimmed.length > APP_NAME_MAX) throw new ValidationError(`appName must be at most ${APP_NAME_MAX} characters`, ['appName']);
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(trimmed)) throw new ValidationError('appName must be plain text on one line (no control characters)', ['appName']);
  return trimmed;
}

/**
 * `id` names the session without being its secret: the page's redirect carries it as
 * `connectSession`, so the tenant can check the account belongs to the user it made the session for.
 */
export async function createConnectSession(hub: Hub, tenantId: string, req: SessionRequest): Promise<{ id: string; url: string; expiresAt: string }> {
  if (!(await hub.store.oauth.isRedirectAllowed(tenantId, req.redirectUri))) {
    throw new AuthorizeError('REDIRECT_URI_NOT_ALLOWED', `redirectUri is not on this tenant's allow-list`);
  }
  if (req.accountId && !(await hub.store.tenant(tenantId).accounts.get(req.accountId))) throw new MissingError('account', req.accountId, tenantId);
  const appName = req.appName == null ? null : checkAppName(req.appName);
  const id = `cs_${randomBytes(24).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await hub.store.oauth.createSession(id, { tenantId, redirectUri: req.redirectUri, access: req.access, loginHint: req.loginHint ?? null, accountId: req.accountId ?? null, expiresAt, appName });
  return { id: secretHash(id), url: `${hubBaseUrl(hub)}/connect?session=${id}`, expiresAt: expiresAt.toISOString() };
}

/** A live session (maybe spent: see usedAt), or null (unknown or expired: the page says so). */
export function connectSession(hub: Hub, id: string): Promise<ConnectSession | null> {
  return hub.store.oauth.session(id);
}

/**
 * Whether the session's return address is still on its tenant's allow-list: one taken off after
 * the session was made is no longer trusted with the browser (the page neither links nor sends
 * there), as the OAuth callback checks again (REDIRECT_URI_NOT_ALLOWED).
 */
export function sessionReturnAllowed(hub: Hub, s: ConnectSession): Promise<boolean> {
  return hub.store.oauth.isRedirectAllowed(s.tenantId, s.redirectUri);
}

/** The name the page shows for the product: the session's appName, else its tenant's name. */
export async function sessionAppName(hub: Hub, s: ConnectSession): Promise<string> {
  return s.appName ?? (await hub.store.tenants.get(s.tenantId))?.name ?? 'the app';
}

/** The page told the product the session failed (`code`): it connects nothing more and shows that failure. */
export function failConnectSession(hub: Hub, s: ConnectSession, code: string): Promise<void> {
  return hub.store.oauth.failSession(s.ref, code);
}

/** CalDAV tries one session allows: the page must not be a password-guessing relay. */
export const CONNECT_ATTEMPTS = 5;

/** Takes one CalDAV try from the session; null when it has none left (or is spent or gone). */
export function takeConnectAttempt(hub: Hub, id: string): Promise<ConnectSession | null> {
  return hub.store.oauth.takeAttempt(id, CONNECT_ATTEMPTS);
}

/** The account a reconnect session is for (null: not a reconnect, or the account is gone). */
export async function sessionAccount(hub: Hub, s: ConnectSession): Promise<AccountRow | null> {
  return s.accountId ? hub.store.tenant(s.tenantId).accounts.get(s.accountId) : null;
}
