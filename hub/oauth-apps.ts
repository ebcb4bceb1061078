/**
 * A tenant's own OAuth app per provider (its own quota and consent screen). New connections of the
 * tenant use it once it is set; grants keep the app that issued them (a refresh token is bound to
 * its client), so the answer says how many accounts still hang on the tenant's app when it
 * changes, and the app cannot be removed while any does.
 */
import { isOAuthProvider, type OAuthProviderId } from '../oauth/index.ts';
import { HubError, ValidationError } from '../shared/errors.ts';
import { MissingError } from './errors.ts';
import type { Hub } from './open-hub.ts';

export interface OAuthAppView {
  provider: OAuthProviderId;
  clientId: string;
  /** The secret itself is never shown again. */
  hasSecret: boolean;
  /** Accounts whose grant was issued by the tenant's app. */
  accounts: number;
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

async function accountsOnTenantApp(hub: Hub, tenantId: string, provider: OAuthProviderId): Promise<number> {
  const accounts = (await hub.store.tenant(tenantId).accounts.list()).filter((a) => a.provider === provider && a.credentials);
  return accounts.filter((a) => hub.tokens.decrypt(a.credentials!).app === 'tenant').length;
}

export async function setOAuthApp(hub: Hub, tenantId: string, provider: string, input: { clientId: string; clientSecret?: string | null }): Promise<OAuthAppView> {
  const p = checkProvider(provider);
  if (!(await hub.store.tenants.get(tenantId))) throw new MissingError('tenant', tenantId);
  const clientId = checkCredential('clientId', input.clientId);
  const secret = input.clientSecret == null ? null : checkCredential('clientSecret', input.clientSecret);
  await hub.store.oauth.setApp(tenantId, { provider: p, clientId, clientSecret: secret === null ? null : hub.keyring.encrypt(secret) });
  hub.log.info({ tenantId, provider: p }, 'tenant OAuth app set');
  return { provider: p, clientId, hasSecret: secret !== null, accounts: await accountsOnTenantApp(hub, tenantId, p) };
}

export async function getOAuthApp(hub: Hub, tenantId: string, provider: string): Promise<OAuthAppView> {
  const p = checkProvider(provider);
  const app = await hub.store.oauth.app(tenantId, p);
  if (!app) throw new MissingError('OAuth app', p, tenantId);
  return { provider: p, clientId: app.clientId, hasSecret: app.clientSecret !== null, accounts: await accountsOnTenantApp(hub, tenantId, p) };
}

export async function removeOAuthApp(hub: Hub, tenantId: string, provider: string): Promise<void> {
  const p = checkProvider(provider);
  const using = await accountsOnTenantApp(hub, tenantId, p);
  if (using > 0) throw new AppInUseError(`${using} ${p} account(s) of this tenant were connected through its own app; disconnect them (or reconnect them after setting a new app) first`);
  if (!(await hub.store.oauth.removeApp(tenantId, p))) throw new MissingError('OAuth app', p, tenantId);
  hub.log.info({ tenantId, provider: p }, 'tenant OAuth app removed');
}

/** The OAuth providers a tenant's users can connect: those with a configured app or the tenant's own. */
export async function connectableProviders(hub: Hub, tenantId: string): Promise<OAuthProviderId[]> {
  const out: OAuthProviderId[] = [];
  for (const p of ['google', 'microsoft'] as const) if (hub.config.oauth[p].clientId || (await hub.store.oauth.app(tenantId, p))) out.push(p);
  return out;
}
