/**
 * Connecting Google and Microsoft accounts (architecture §8): the authorize URL, and the callback —
 * exchange, identify the provider account, create or re-link the calhub account (never a
 * duplicate), check the granted scopes (INSUFFICIENT_SCOPE: nothing stored), discover calendars,
 * queue the initial sync, start push channels, and say where to send the browser.
 */
import { randomBytes } from 'node:crypto';
import type { RemoteCalendar } from '../../connectors/connector.ts';
import {
  beginAuthorization, CallbackError, finishAuthorization, SignInStored,
  type AccessLevel, type AuthorizationDeps, type FinishedAuthorization, type OAuthProviderId,
} from '../../oauth/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import { secretHash, type AccountRow, type ConnectSession } from '../../shared/store/index.ts';
import { MissingError } from '../errors.ts';
import { claimConnectSession, releaseConnectSession } from '../connect-session-claim.ts';
import { accessOf, applyAccessChange } from '../account-access.ts';
import { afterAccessChange } from './access-followup.ts';
import { pruneRetiredApps } from '../oauth-apps.ts';
import { apiBaseFor, newConnector } from '../connect.ts';
import type { Hub } from '../open-hub.ts';
import { describeError, syncInProcess } from '../sync-here.ts';

/** calhub's own base URL as a browser reaches it: the public URL, else the listening address. */
export function hubBaseUrl(hub: Hub): string {
  if (hub.config.publicUrl) return hub.config.publicUrl;
  const host = hub.config.host === '0.0.0.0' || hub.config.host === '::' ? '127.0.0.1' : hub.config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${hub.config.port}`;
}

export function authorizationDeps(hub: Hub): AuthorizationDeps {
  const base = hubBaseUrl(hub);
  return { store: hub.store, keyring: hub.keyring, tokens: hub.tokens, oauth: hub.config.oauth, callbackUrl: (p) => `${base}/oauth/${p}/callback` };
}

export interface AuthorizeRequest {
  redirectUri: string;
  access: AccessLevel;
  loginHint?: string | null;
  accountId?: string | null;
}

export async function oauthAuthorizeUrl(hub: Hub, tenantId: string, provider: OAuthProviderId, req: AuthorizeRequest): Promise<{ url: string; expiresAt: string }> {
  const { url, expiresAt } = await beginAuthorization(authorizationDeps(hub), { tenantId, provider, ...req });
  return { url, expiresAt };
}

/**
 * The hosted page starts a flow in a browser: the state is bound to a nonce the page puts in a
 * cookie (only its hash is stored), and to the connect session, which a success spends.
 */
export async function hostedAuthorizeUrl(hub: Hub, session: ConnectSession, provider: OAuthProviderId): Promise<{ url: string; state: string; nonce: string }> {
  const nonce = randomBytes(32).toString('base64url');
  const { url, state } = await beginAuthorization(authorizationDeps(hub), {
    tenantId: session.tenantId, provider, redirectUri: session.redirectUri, access: session.access, loginHint: session.loginHint, accountId: session.accountId,
    browserHash: secretHash(nonce), connectSession: session.ref,
  });
  return { url, state, nonce };
}

export type CallbackOutcome =
  | { ok: true; tenantId: string; accountId: string; redirect: string; relinked: boolean }
  | { ok: false; code: string; message: string; redirect: string | null; appUrl?: string | null; connected?: boolean };

const withParams = (uri: string, params: Record<string, string>) => {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
};

/** The browser came back from the provider: connect the account, or say why not. */
export async function oauthCallback(hub: Hub, provider: OAuthProviderId, query: URLSearchParams, browserNonce: string | null = null): Promise<CallbackOutcome> {
  let done;
  try {
    done = await finishAuthorization(authorizationDeps(hub), provider, query, browserNonce);
  } catch (e) {
    if (e instanceof SignInStored) return finishStored(hub, e);
    if (!(e instanceof CallbackError)) throw e;
    hub.log.info({ provider, code: e.callbackCode }, 'oauth callback refused');
    return { ok: false, code: e.callbackCode, message: e.message, redirect: e.redirectUri && withParams(e.redirectUri, { error: e.callbackCode, error_description: e.message }), appUrl: e.appUrl, connected: e.connected };
  }
  // One account per hosted session: the product checks connectSession against the user it made the session for.
  const fromSession: Record<string, string> = done.connectSession ? { connectSession: done.connectSession } : {};
  // Taken before the account is stored: of two tabs of one session, the second finishes with nothing stored.
  if (done.connectSession && (await claimConnectSession(hub, done.connectSession)) === 'used') {
    hub.log.info({ provider, code: 'SESSION_USED' }, 'oauth callback refused');
    await hub.store.oauth.markRefused(query.get('state')!);
    const message = 'this connect link was already used to connect an account; nothing more was connected';
    return { ok: false, code: 'SESSION_USED', message, redirect: withParams(done.redirectUri, { error: 'SESSION_USED', error_description: message, ...fromSession }) };
  }
  try {
    const out = await connectGranted(hub, provider, query.get('state')!, done, fromSession);
    // A reload of this callback then says the calendar is connected (STATE_USED), not "unknown link".
    if (out.ok || out.code === 'CONNECT_FAILED') await hub.store.oauth.markConnected(query.get('state')!).catch((e: unknown) => hub.log.warn({ err: describeError(e) }, 'could not record the connected sign-in'));
    return out;
  } catch (e) {
    if (done.connectSession) await releaseConnectSession(hub, done.connectSession).catch(() => undefined);
    throw e;
  }
}

async function connectGranted(hub: Hub, provider: OAuthProviderId, state: string, done: FinishedAuthorization, fromSession: Record<string, string>): Promise<CallbackOutcome> {
  const t = hub.store.tenant(done.tenantId);
  const existing = (await t.accounts.list()).find((a) => a.provider === provider && a.externalId === done.identity.externalId);
  const before = existing ? await accessOf(hub.store, (c) => hub.tokens.decrypt(c).access, existing) : null;
  // Same provider account → same calhub account: upsert re-links it (new grant, status active).
  // Other access than before changes what the store may keep, in the same transaction.
  const { account, change } = await t.transaction(async (tx) => {
    const row = await tx.accounts.upsert({
      provider,
      externalId: done.identity.externalId,
      displayName: done.identity.displayName,
      credentials: hub.tokens.encrypt(done.grant),
      // Graph's mailbox address: the connector's owner address without a /me per pull.
      config: done.identity.mailbox ? { email: done.identity.mailbox } : {},
      // A grant from a sign-in begun before identities carried it: the next listing fills it.
      ...(done.identity.email !== undefined ? { email: done.identity.email } : {}),
      access: done.grant.access,
      grant: { app: done.grant.app, clientId: done.grant.clientId ?? null },
    });
    // Connected already (active): the upsert changes no status, so no account.connected goes out by
    // itself; said here (alreadyConnected), so a product learns of every connect from its webhooks.
    if (existing?.status === 'active') await tx.accounts.connectedAgain(row.id);
    // The state names the account and the session is spent with it: a hub killed from here on
    // leaves a sign-in its callback finishes as connected (finishStored), not one it calls interrupted.
    await tx.signIns.stored(state, row.id, done.connectSession);
    return { account: row, change: before && before !== done.grant.access ? await applyAccessChange(tx, row.id, before, done.grant.access) : null };
  });
  if (change) hub.log.info({ accountId: account.id, ...change }, 'account access changed');
  // A reconnection replaced a grant: a replaced client of the tenant's app may have lost its last
  // one; and one kept only for this flow (or for flows that ran out) is bound to this grant or not needed.
  await pruneRetiredApps(hub, done.tenantId, provider).catch((e: unknown) => hub.log.warn({ accountId: account.id, err: describeError(e) }, 'could not drop unused replaced OAuth clients; the next change of the app does'));
  await afterAccessChange(hub, done.tenantId, account.id, change);
  const failed = await discoveryFailure(hub, account, done.redirectUri, fromSession);
  if (failed) return failed;
  hub.log.info({ accountId: account.id, provider, relinked: Boolean(existing) }, 'account connected');
  return { ok: true, tenantId: done.tenantId, accountId: account.id, relinked: Boolean(existing), redirect: withParams(done.redirectUri, { accountId: account.id, ...fromSession }) };
}

/** Discovers the account's calendars and starts their sync; the CONNECT_FAILED answer when that failed. */
async function discoveryFailure(hub: Hub, account: AccountRow, redirectUri: string, fromSession: Record<string, string>): Promise<CallbackOutcome | null> {
  try {
    await discoverAndSync(hub, account);
    return null;
  } catch (e) {
    hub.log.warn({ accountId: account.id, err: describeError(e) }, 'connected, but calendar discovery failed; the list is read again within a minute');
    // Unread, the account held no calendar until its hourly reading, and its free/busy answered
    // free: the reading is asked for again as a calendar-list notification is (retried each minute).
    await hub.store.tenant(account.tenantId).accounts.requestCalendarList(account.id).catch((err: unknown) => hub.log.warn({ accountId: account.id, err: describeError(err) }, 'could not ask for the calendar list again'));
    const description = 'the account is connected, but its calendars could not be read yet; calhub reads them again within a minute';
    return { ok: false, code: 'CONNECT_FAILED', message: `calendar discovery failed: ${describeError(e)}`, redirect: withParams(redirectUri, { error: 'CONNECT_FAILED', error_description: description, accountId: account.id, ...fromSession }) };
  }
}

/**
 * The callback opened again after its first run stored the account and then died (or could not
 * mark the state connected): the account exists and its account.connected webhook went out with
 * it, so nothing is stored again. Its calendars are read when the first run did not get to it, the
 * state is marked connected, and the browser is sent on as the first run would have.
 */
async function finishStored(hub: Hub, s: SignInStored): Promise<CallbackOutcome> {
  const account = await hub.store.tenant(s.tenantId).accounts.get(s.accountId);
  const fromSession: Record<string, string> = s.connectSession ? { connectSession: s.connectSession } : {};
  // A second reload while this one runs (or after) sees the state connected: "your calendar is connected".
  const used = { ok: false as const, code: 'STATE_USED', message: 'this sign-in is finished and the calendar is connected', redirect: null, appUrl: s.redirectUri, connected: true };
  if (!account) return used; // deleted since (its link goes with it, so only a race lands here)
  const failed = account.calendarsListed ? null : await discoveryFailure(hub, account, s.redirectUri, fromSession);
  if (!(await hub.store.oauth.finishStored(s.state))) return used;
  hub.log.info({ accountId: account.id, provider: s.provider }, 'interrupted sign-in finished: its account was stored');
  return failed ?? { ok: true, tenantId: s.tenantId, accountId: account.id, relinked: false, redirect: withParams(s.redirectUri, { accountId: account.id, ...fromSession }) };
}

/** Calendars as the provider lists them now; the initial (or catch-up) sync; push channels. */
export async function discoverAndSync(hub: Hub, account: AccountRow): Promise<string[]> {
  const t = hub.store.tenant(account.tenantId);
  const connector = await newConnector(account.provider, { baseUrl: apiBaseFor(account, hub.config) });
  const ctx = { credentials: hub.tokens.credentialsFor(account), signal: AbortSignal.timeout(60_000), log: hub.log, now: () => new Date() };
  const remote = (await connector.listCalendars(ctx)).filter((c) => c.supportsEvents);
  const cals = await t.calendars.upsertMany(
    account.id,
    remote.map((c) => ({ providerCalendarId: c.providerCalendarId, name: c.name, timeZone: c.timeZone, color: c.color, readOnly: c.readOnly, accessRole: c.accessRole, primary: c.primary })),
    { syncShared: hub.config.syncSharedCalendars },
  );
  await fillEmail(hub, account, remote);
  await t.accounts.markCalendarsListed(account.id);
  const ids = cals.map((c) => c.id);
  await startSyncing(hub, account.tenantId, account.id, ids);
  return ids;
}

/**
 * An account without an address (one connected before migration 0091) takes the one its listing
 * tells: Google's primary calendar id, the Graph mailbox address kept at connect. A CalDAV
 * listing tells none: such an account takes its address at its next connect.
 */
export async function fillEmail(hub: Hub, account: AccountRow, listed: RemoteCalendar[]): Promise<void> {
  if (account.email) return;
  const kept = typeof account.config.email === 'string' && account.config.email.includes('@') ? account.config.email : null;
  const primaryId = listed.find((c) => c.primary)?.providerCalendarId;
  const email = account.provider === 'google' ? (primaryId?.includes('@') ? primaryId : null) : account.provider === 'microsoft' ? kept : null;
  if (email) await hub.store.tenant(account.tenantId).accounts.setEmail(account.id, email);
}

/** The first sync of a new account's calendars (queued, or here without a queue) and its push channels. */
export async function startSyncing(hub: Hub, tenantId: string, accountId: string, ids: string[]): Promise<void> {
  // A reconnect lists calendars whose sync the tenant switched off: they stay off.
  const calendarIds = ids.length ? (await hub.store.tenant(tenantId).calendars.list({ ids, synced: true })).map((c) => c.id) : [];
  if (hub.engine) for (const id of calendarIds) await hub.requestPull(tenantId, id);
  else if (hub.syncHere) await syncInProcess(hub, tenantId, calendarIds);
  await hub.supervisor.connectAccount(tenantId, accountId).catch((e: unknown) => hub.log.warn({ accountId, err: describeError(e) }, 'push channels not started; polling covers the account'));
}

/**
 * The operator's flow (`calhub accounts connect`): the CLI's own loopback address is the redirect
 * URI. The operator has authority over every tenant, so that address is put on the tenant's
 * allow-list only while the state is created (the state keeps it, marked as the operator's: the
 * callback still ends there without checking the allow-list again) and taken off again, leaving the
 * tenant's list as it was.
 */
export async function operatorAuthorizeUrl(hub: Hub, tenantId: string, provider: OAuthProviderId, req: AuthorizeRequest): Promise<{ url: string; expiresAt: string }> {
  if (!(await hub.store.tenants.get(tenantId))) throw new MissingError('tenant', tenantId);
  const u = new URL(req.redirectUri);
  if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1') throw new ValidationError('the operator flow redirects to http://127.0.0.1 only');
  const had = await hub.store.oauth.isRedirectAllowed(tenantId, req.redirectUri);
  if (!had) await hub.store.oauth.allowRedirect(tenantId, req.redirectUri);
  try {
    const { url, expiresAt } = await beginAuthorization(authorizationDeps(hub), { tenantId, provider, ...req, operatorRedirect: true });
    return { url, expiresAt };
  } finally {
    if (!had) await hub.store.oauth.disallowRedirect(tenantId, req.redirectUri);
  }
}
