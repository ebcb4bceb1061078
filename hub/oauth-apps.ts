/**
 * A tenant's own OAuth app per provider (its own quota and consent screen). New connections of the
 * tenant use it once it is set; grants keep the app that issued them: a refresh token works only
 * with the client that issued it, so each grant names its client id, and an app replaced by another
 * client id is kept (secret encrypted) while grants still name it, and dropped when the last one
 * leaves (disconnected, or reconnected through the new app). Setting the same client id again
 * (a secret rotation) serves every grant of that client; a kept client's secret is rotated on its
 * own (setRetiredClientSecret). A replaced client is also kept while a flow started with it may still
 * come back: its code is exchanged through it. The answer says how many accounts hang on the current
 * client and on each kept one; the app cannot be removed while any does.
 */
import { isOAuthProvider, type OAuthProviderId, type StoredGrant } from '../oauth/index.ts';
import { HubError, ValidationError } from '../shared/errors.ts';
import { replaceSecretCell, type AccountRow } from '../shared/store/index.ts';
import { MissingError, RefusedError } from './errors.ts';
import type { Hub } from './open-hub.ts';

export interface OAuthAppView {
  provider: OAuthProviderId;
  clientId: string;
  /** The secret itself is never shown again. */
  hasSecret: boolean;
  /** Accounts whose grant was issued by this (the current) client of the tenant's app. */
  accounts: number;
  /** Replaced clients of the tenant's app kept for the grants they issued, with how many accounts use each. */
  retiredClients: Array<{ clientId: string; hasSecret: boolean; accounts: number }>;
}

export class AppInUseError extends HubError {
  constructor(message: string) {
    super('OAUTH_APP_IN_USE', 'never', message);
    this.name = 'AppInUseError';
  }
}

const PRINTABLE = /^[\x21-\x7e]+$/;

function checkProvider(provider: string): OAuthProviderId {
  if (!isOAuthProvider(provider)) throw new ValidationError(`provider must be google or microsoft, not ${JSON.stringify(provider.slice(0, 40))}`);
  return provider;
}

function checkCredential(what: string, v: string): string {
  if (v.length === 0 || v.length > 512 || !PRINTABLE.test(v)) throw new ValidationError(`${what} must be 1–512 printable characters without spaces`);
  return v;
}

/**
 * The tenant's accounts of the provider holding a grant of its own app, with that grant decrypted.
 * An unreadable grant (its key left the ring) is left out.
 */
async function tenantGrants(hub: Hub, tenantId: string, provider: OAuthProviderId): Promise<Array<{ account: AccountRow & { credentials: string }; grant: StoredGrant }>> {
  const out = [];
  for (const account of await hub.store.tenant(tenantId).accounts.list()) {
    if (account.provider !== provider || !account.credentials) continue;
    let grant: StoredGrant;
    try {
      grant = hub.tokens.decrypt(account.credentials);
    } catch {
      continue;
    }
    if (grant.app === 'tenant') out.push({ account: { ...account, credentials: account.credentials }, grant });
  }
  return out;
}

/**
 * How many of the tenant's accounts hold a grant of each client of its own app. A grant from
 * before client ids were recorded belongs to the current app. An unreadable grant counts nowhere.
 */
async function grantsByClient(hub: Hub, tenantId: string, provider: OAuthProviderId): Promise<Map<string, number>> {
  const current = await hub.store.oauth.app(tenantId, provider);
  const out = new Map<string, number>();
  for (const { grant } of await tenantGrants(hub, tenantId, provider)) {
    const clientId = grant.clientId ?? current?.clientId;
    if (clientId) out.set(clientId, (out.get(clientId) ?? 0) + 1);
  }
  return out;
}

/**
 * Grants stored before client ids were recorded belong to the current client: they are stamped with
 * it before the app changes, or they would follow the new one. Compare-and-swap: a refresh racing
 * this writes the client id itself.
 */
async function stampLegacyGrants(hub: Hub, tenantId: string, provider: OAuthProviderId, clientId: string): Promise<void> {
  for (const { account, grant } of await tenantGrants(hub, tenantId, provider)) {
    if (grant.clientId) continue;
    if (await replaceSecretCell(hub.store.db, { table: 'accounts', column: 'credentials', key: account.id, envelope: account.credentials }, hub.tokens.encrypt({ ...grant, clientId }))) {
      await hub.store.tenant(tenantId).accounts.setGrantClient(account.id, { app: grant.app, clientId });
    }
  }
}

/**
 * Whether a replaced client must be kept: a grant names it, or a flow started with it may still
 * come back (its code can be exchanged only through it; the account is then bound to it).
 */
async function stillNeeded(hub: Hub, tenantId: string, provider: OAuthProviderId, clientId: string, used: Map<string, number>): Promise<boolean> {
  return (used.get(clientId) ?? 0) > 0 || (await hub.store.oauth.hasLiveFlow(tenantId, provider, clientId));
}

async function view(hub: Hub, tenantId: string, provider: OAuthProviderId): Promise<OAuthAppView | null> {
  const app = await hub.store.oauth.app(tenantId, provider);
  if (!app) return null;
  const used = await grantsByClient(hub, tenantId, provider);
  const retired = await hub.store.oauth.retiredApps(tenantId, provider);
  return {
    provider, clientId: app.clientId, hasSecret: app.clientSecret !== null, accounts: used.get(app.clientId) ?? 0,
    retiredClients: retired.map((r) => ({ clientId: r.clientId, hasSecret: r.clientSecret !== null, accounts: used.get(r.clientId) ?? 0 })),
  };
}

/**
 * Drops the kept clients no grant names any more (after a disconnect or a connection) and no live
 * flow was started with.
 */
export async function pruneRetiredApps(hub: Hub, tenantId: string, provider: OAuthProviderId): Promise<void> {
  const retired = await hub.store.oauth.retiredApps(tenantId, provider);
  if (retired.length === 0) return;
  const used = await grantsByClient(hub, tenantId, provider);
  for (const r of retired) {
    if (await stillNeeded(hub, tenantId, provider, r.clientId, used)) continue;
    await hub.store.oauth.dropRetiredApp(tenantId, provider, r.clientId);
    hub.log.info({ tenantId, provider, clientId: r.clientId }, 'replaced tenant OAuth client dropped: no grant uses it any more');
  }
}

export async function setOAuthApp(hub: Hub, tenantId: string, provider: string, input: { clientId: string; clientSecret?: string | null }): Promise<OAuthAppView> {
  const p = checkProvider(provider);
  if (!(await hub.store.tenants.get(tenantId))) throw new MissingError('tenant', tenantId);
  const clientId = checkCredential('clientId', input.clientId);
  const secret = input.clientSecret == null ? null : checkCredential('clientSecret', input.clientSecret);
  const before = await hub.store.oauth.app(tenantId, p);
  const replaced = before !== null && before.clientId !== clientId;
  if (replaced) {
    // The old client's grants keep refreshing through it, and its flows under way finish through
    // it: keep it while any grant names it or such a flow may come back.
    await stampLegacyGrants(hub, tenantId, p, before.clientId);
    if (await stillNeeded(hub, tenantId, p, before.clientId, await grantsByClient(hub, tenantId, p))) await hub.store.oauth.keepRetiredApp(tenantId, before);
  }
  await hub.store.oauth.setApp(tenantId, { provider: p, clientId, clientSecret: secret === null ? null : hub.keyring.encrypt(secret) });
  // A kept client set again is the current one: its grants use this row (and this secret) now.
  await hub.store.oauth.dropRetiredApp(tenantId, p, clientId);
  await pruneRetiredApps(hub, tenantId, p);
  const out = (await view(hub, tenantId, p))!;
  const kept = out.retiredClients.find((r) => r.clientId === before?.clientId);
  hub.log.info({ tenantId, provider: p, replaced, ...(replaced ? { accountsOnReplacedClient: kept?.accounts ?? 0 } : {}) }, 'tenant OAuth app set');
  return out;
}

/**
 * A new secret for a replaced client still kept for its accounts (its old secret leaked or
 * expired): stored encrypted as the app's own, in `keys rotate`'s columns. The client must be kept
 * (404 otherwise); the current client's secret is set with setOAuthApp.
 */
export async function setRetiredClientSecret(hub: Hub, tenantId: string, provider: string, clientId: string, input: { clientSecret: string | null }): Promise<OAuthAppView> {
  const p = checkProvider(provider);
  const secret = input.clientSecret == null ? null : checkCredential('clientSecret', input.clientSecret);
  if (!(await hub.store.oauth.setRetiredSecret(tenantId, p, clientId, secret === null ? null : hub.keyring.encrypt(secret)))) {
    const current = await hub.store.oauth.app(tenantId, p);
    if (current?.clientId === clientId) throw new RefusedError(`${clientId} is the app's current client, not a replaced one: set its secret on the app itself (PUT /v1/oauth/${p}/app, calhub tenants oauth-app --client-id)`);
    throw new MissingError('replaced OAuth client', clientId, tenantId);
  }
  hub.log.info({ tenantId, provider: p, clientId }, 'secret of a replaced tenant OAuth client set');
  const out = await view(hub, tenantId, p);
  if (!out) throw new MissingError('OAuth app', p, tenantId);
  return out;
}

export async function getOAuthApp(hub: Hub, tenantId: string, provider: string): Promise<OAuthAppView> {
  const p = checkProvider(provider);
  const out = await view(hub, tenantId, p);
  if (!out) throw new MissingError('OAuth app', p, tenantId);
  return out;
}

export async function removeOAuthApp(hub: Hub, tenantId: string, provider: string): Promise<void> {
  const p = checkProvider(provider);
  const used = await grantsByClient(hub, tenantId, p);
  const using = [...used.values()].reduce((a, b) => a + b, 0);
  if (using > 0) {
    const current = (await hub.store.oauth.app(tenantId, p))?.clientId;
    const old = [...used.entries()].filter(([id]) => id !== current).reduce((a, [, n]) => a + n, 0);
    const detail = old > 0 ? ` (${old} of them through a replaced client of the app)` : '';
    throw new AppInUseError(`${using} ${p} account(s) of this tenant were connected through its own app${detail}; disconnect them (or reconnect them after setting a new app) first`);
  }
  if (!(await hub.store.oauth.removeApp(tenantId, p))) throw new MissingError('OAuth app', p, tenantId);
  await pruneRetiredApps(hub, tenantId, p);
  hub.log.info({ tenantId, provider: p }, 'tenant OAuth app removed');
}

/** The OAuth providers a tenant's users can connect: those with a configured app or the tenant's own. */
export async function connectableProviders(hub: Hub, tenantId: string): Promise<OAuthProviderId[]> {
  const out: OAuthProviderId[] = [];
  for (const p of ['google', 'microsoft'] as const) if (hub.config.oauth[p].clientId || (await hub.store.oauth.app(tenantId, p))) out.push(p);
  return out;
}
