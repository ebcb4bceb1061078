/**
 * Connect a CalDAV account: discover its calendars with the given credentials, then store the
 * account (password encrypted at rest) and its event calendars. Reconnecting updates the same
 * account (same server and user). The OAuth callback is the other way in (hub/accounts/).
 */
import type { AccessLevel } from '../../oauth/index.ts';
import type { Calendar } from '../../shared/model/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { AccountRow } from '../../shared/store/index.ts';
import { applyAccessChange } from '../account-access.ts';
import { afterAccessChange } from './access-followup.ts';
import { discoverCaldavAccount } from '../connect.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { providerRefusal } from './provider-refusal.ts';

export interface CaldavLogin {
  serverUrl: string;
  username: string;
  password: string;
  /**
   * What calhub may do with the account, as for Google and Microsoft: freebusy keeps only when it
   * is busy, read never writes. Absent: a new account reads and writes, a reconnect keeps its own
   * (a new password must not widen what the user chose to share).
   */
  access?: AccessLevel;
  /**
   * The user's email address, for ORGANIZER on the meetings calhub creates when the server names
   * none (Radicale and Xandikos do not). Absent: a reconnect keeps the account's own.
   */
  email?: string;
}

const EMAIL = /^[^\s@/:]+@[^\s@/]+$/;

/** Whether an address given as the account's email is one (what connectCaldav accepts; empty: none given). */
export const isEmailAddress = (s: string): boolean => EMAIL.test(s.trim());

/**
 * A server address typed without a scheme — a bare host ("caldav.fastmail.com") or host:port, as
 * the connect page's hint invites — is an https:// address; anything with a scheme is left as it is
 * (http:// keeps its own rules: refused for a public host unless allowed, as before).
 */
export function withHttps(typed: string): string {
  if (!typed || /^[a-z][a-z0-9+.-]*:\/\//i.test(typed)) return typed;
  // "host:port" parses as a scheme "host:"; "mailto:x" or "javascript:x" are not hosts either way.
  if (/^[a-z][a-z0-9+.-]*:(?!\d+(\/|$))/i.test(typed)) return typed;
  return `https://${typed}`;
}

/**
 * How long the hosted connect page waits for a CalDAV server's discovery as a whole: a person is
 * looking at the page (a server that accepts and never answers would otherwise hold it for the
 * API's minute). The API and CLI keep 60 s (CALDAV_REQUEST_DEADLINE_MS for each request).
 */
export const PAGE_DISCOVERY_DEADLINE_MS = 15_000;

/** What is wrong with a server address before any call: not http(s), or credentials in it. */
export function serverUrlProblem(serverUrl: string): 'not-http' | 'credentials' | null {
  const url = URL.parse(serverUrl);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return 'not-http';
  // They would be stored in the account's config in plain text, beside the encrypted password.
  return url.username || url.password ? 'credentials' : null;
}

/** The server address as given, refused when it is not one calhub may store and call. */
export function checkServerUrl(serverUrl: string): URL {
  const problem = serverUrlProblem(serverUrl);
  if (problem === 'not-http') throw new ValidationError('the server URL must be an absolute http(s) URL');
  if (problem === 'credentials') throw new ValidationError('the server URL must not contain a user name or password; give them as username and password');
  return new URL(serverUrl);
}

/** The login stored for a CalDAV account (reconnecting keeps its server and user). */
export function caldavLoginOf(hub: Hub, account: AccountRow): { serverUrl: string; username: string } | null {
  const serverUrl = typeof account.config.serverUrl === 'string' ? account.config.serverUrl : null;
  if (account.provider !== 'caldav' || !serverUrl || !account.credentials) return null;
  const { username } = JSON.parse(hub.keyring.decrypt(account.credentials)) as { username: string };
  return { serverUrl, username };
}

/**
 * A CalDAV account's identity: the user at the principal (or, on a server without one, the address
 * given), normalised — the URL parser lower-cases the host and drops a default port; the path gets
 * its trailing slash — so one user on one server is one account whichever address was typed.
 */
export function caldavIdentity(username: string, principalOrServer: string): string {
  const u = new URL(principalOrServer);
  return `${username}@${u.host}${u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`}`;
}

/** The names one machine has for itself (`localhost` resolves to both addresses). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The address an account of this user already has on this machine's server under another loopback
 * name (localhost, 127.0.0.1, [::1]; same scheme and port), or null. Its calendars are known by
 * URLs with that name, so connecting through another one would make a second account, or the same
 * account with every calendar again under new ids; the login takes the account's address instead.
 */
function loopbackAliasOf(hub: Hub, accounts: AccountRow[], url: URL, username: string): string | null {
  if (!LOOPBACK.has(url.hostname)) return null;
  for (const a of accounts) {
    const login = a.provider === 'caldav' ? caldavLoginOf(hub, a) : null;
    const theirs = login ? URL.parse(login.serverUrl) : null;
    if (!login || !theirs || login.username !== username || !LOOPBACK.has(theirs.hostname) || theirs.hostname === url.hostname) continue;
    if (theirs.protocol !== url.protocol || theirs.port !== url.port) continue;
    const same = new URL(url);
    same.hostname = theirs.hostname;
    return same.toString();
  }
  return null;
}

/** `reconnect`: the account this login must be (same server and user), else nothing is stored. */
export async function connectCaldav(hub: Hub, tenantId: string, login: CaldavLogin, reconnect: string | null = null, opts: { deadlineMs?: number } = {}): Promise<{ account: AccountRow; calendars: Calendar[] }> {
  const { username, password } = login;
  const typedUrl = checkServerUrl(login.serverUrl);
  const serverUrl = loopbackAliasOf(hub, await hub.store.tenant(tenantId).accounts.list(), typedUrl, username) ?? login.serverUrl;
  const url = new URL(serverUrl);
  const given = login.email?.trim() || undefined;
  if (given !== undefined && !EMAIL.test(given)) throw new ValidationError('the email must be an email address (name@domain)', ['email']);
  if (!(await hub.store.tenants.get(tenantId))) throw new MissingError('tenant', tenantId);
  const deadlineMs = opts.deadlineMs ?? 60_000;
  const ctx = { credentials: { kind: 'basic' as const, username, password }, signal: AbortSignal.timeout(deadlineMs), log: hub.log, now: () => new Date() };
  let found;
  try {
    found = await discoverCaldavAccount(ctx, { serverUrl, email: given, allowPrivateNetworks: hub.config.caldavAllowPrivateNetworks, requestDeadlineMs: Math.min(hub.config.caldavRequestDeadlineMs, deadlineMs) });
  } catch (e) {
    throw providerRefusal(e, { provider: 'CalDAV', connecting: true });
  }
  const remote = found.calendars.filter((c) => c.supportsEvents);
  const externalId = caldavIdentity(username, found.principalUrl ?? serverUrl);
  // Accounts connected before identities were principals carry the address as typed.
  const typed = `${username}@${url.host}${url.pathname}`;
  const accounts = await hub.store.tenant(tenantId).accounts.list();
  const caldav = accounts.filter((x) => x.provider === 'caldav');
  let target = caldav.find((x) => x.externalId === typed);
  if (reconnect) {
    target = caldav.find((x) => x.id === reconnect);
    if (!target) throw new MissingError('account', reconnect, tenantId);
    if (target.externalId !== externalId && target.externalId !== typed) throw new ValidationError('this login is not the account being reconnected (another server or user name)');
  }
  // An account under its old identity takes the new one, unless another account has it already.
  if (target && target.externalId !== externalId) {
    const holder = caldav.find((x) => x.externalId === externalId);
    if (!holder) await hub.store.tenant(tenantId).accounts.rekey(target.id, externalId);
    else if (reconnect) throw new ValidationError(`this login is account ${holder.id}, not the account being reconnected`);
  }
  const t = hub.store.tenant(tenantId);
  // CalDAV accounts from before access levels read and write.
  const existing = caldav.find((x) => x.id === target?.id || x.externalId === externalId);
  const before = existing ? (existing.access ?? 'readwrite') : null;
  // The address calhub organizes meetings as: the server's, the one given, the one kept, the
  // username. Stored null when none is known, so the API refuses a meeting it cannot organize
  // (ORGANIZER_UNKNOWN); accounts from before have no `email` and their push decides.
  const kept = typeof existing?.config.email === 'string' ? existing.config.email : null;
  const fromLogin = found.address !== null && found.address.toLowerCase() === username.toLowerCase();
  const email = given || !kept || (found.address && !fromLogin) ? found.address : kept;
  // The address the account views show: the one given, the one shown so far, the server's
  // mailto:, the one kept for meetings (an account from before migration 0091); else none.
  const shown = given ?? existing?.email ?? found.serverAddress ?? kept ?? null;
  const { account, change } = await t.transaction(async (tx) => {
    const row = await tx.accounts.upsert({
      provider: 'caldav',
      externalId,
      displayName: username,
      credentials: hub.keyring.encrypt(JSON.stringify({ username, password })),
      config: { serverUrl, email },
      email: shown,
      access: login.access ?? before ?? 'readwrite',
    });
    // Connected already (active): the upsert changes no status, so no account.connected goes out by
    // itself; said here (alreadyConnected), so a product learns of every connect from its webhooks.
    if (existing?.status === 'active') await tx.accounts.connectedAgain(row.id);
    return { account: row, change: before && row.access && before !== row.access ? await applyAccessChange(tx, row.id, before, row.access) : null };
  });
  if (change) hub.log.info({ accountId: account.id, ...change }, 'account access changed');
  await afterAccessChange(hub, tenantId, account.id, change);
  const calendars = await t.calendars.upsertMany(
    account.id,
    remote.map((c) => ({ providerCalendarId: c.providerCalendarId, name: c.name, timeZone: c.timeZone, color: c.color, readOnly: c.readOnly, accessRole: c.accessRole, primary: c.primary })),
    { syncShared: hub.config.syncSharedCalendars },
  );
  await t.accounts.markCalendarsListed(account.id);
  // The first sync starts now when a worker listens (as an OAuth connect does), not when the user
  // gets round to `resync`: it runs while they type the next command.
  if (hub.engine) for (const c of calendars) if (c.syncEnabled) await hub.requestPull(tenantId, c.id);
  return { account, calendars };
}
