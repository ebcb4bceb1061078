/**
 * Accounts bound to an OAuth client the hub no longer has. A refresh token works only with the
 * client that issued it, so when GOOGLE_CLIENT_ID or MICROSOFT_CLIENT_ID changes, the accounts
 * connected through the old client fail at their next refresh (AUTH_CLIENT_REJECTED: the token
 * manager does not send their tokens to another client) until the old client is listed in
 * GOOGLE_/MICROSOFT_RETIRED_CLIENTS or their users reconnect. `calhub status` and `calhub accounts
 * list` name them, so the operator learns it before the users do.
 */
import { isOAuthProvider, type OAuthProviderId, type StoredGrant } from '../oauth/index.ts';
import { opsQueries, type AccountRow, type GrantClient } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

export interface StrandedAccount {
  accountId: string;
  tenantId: string;
  provider: OAuthProviderId;
  /** The client that issued its grant (an OAuth client id is public: it is in every authorize URL). */
  clientId: string;
  /** `default`: the hub-wide app (config); `tenant`: the tenant's own app. */
  app: StoredGrant['app'];
}

/**
 * Why the account cannot refresh its tokens because of its client, for `accounts list`; null when
 * it can, or when its client is not recorded yet (a grant from before migration 0059: `calhub
 * status` records it). Read from the columns beside the grant: listing decrypts nothing.
 */
export async function clientProblemOf(hub: Hub, a: Pick<AccountRow, 'tenantId' | 'provider' | 'credentials' | 'status' | 'grantClient'>): Promise<string | null> {
  if (a.status === 'needs_reauth' || !isOAuthProvider(a.provider) || !a.credentials) return null;
  const { app, clientId } = a.grantClient ?? { app: 'default', clientId: null };
  if (!clientId || (await hub.tokens.hasClient(a.tenantId, a.provider, app, clientId))) return null;
  return app === 'tenant'
    ? `connected through client ${clientId} of the tenant's own OAuth app, which is no longer kept: the user must reconnect`
    : `connected through OAuth client ${clientId}, which is no longer configured: list it in ${a.provider === 'google' ? 'GOOGLE' : 'MICROSOFT'}_RETIRED_CLIENTS or have the user reconnect`;
}

/** Grants of one provider with no recorded client (from before client ids were recorded, not refreshed since). */
export interface ClientUnknown {
  provider: OAuthProviderId;
  app: StoredGrant['app'];
  n: number;
  /** A few of them. */
  accountIds: string[];
}

/**
 * Every account (not already needs_reauth) whose grant's client the hub no longer has, and the
 * grants whose client is not known. Read from the client columns beside the grants (migration
 * 0059): no grant is decrypted, except once each for grants stored before the columns, whose
 * client is then recorded. A grant that cannot be read is left out.
 */
export async function grantClients(hub: Hub): Promise<{ stranded: StrandedAccount[]; clientUnknown: ClientUnknown[] }> {
  const stranded: StrandedAccount[] = [];
  const clientUnknown: ClientUnknown[] = [];
  // Many accounts share a few clients: each is looked up once per pass.
  const known = new Map<string, Promise<boolean>>();
  for (const a of await opsQueries.oauthGrantClients(hub.store.db)) {
    if (!isOAuthProvider(a.provider)) continue;
    const client = a.grantApp ? { app: a.grantApp, clientId: a.grantClientId } : await recordClient(hub, a);
    if (!client) continue;
    if (client.clientId === null) {
      let g = clientUnknown.find((c) => c.provider === a.provider && c.app === client.app);
      if (!g) clientUnknown.push((g = { provider: a.provider, app: client.app, n: 0, accountIds: [] }));
      g.n += 1;
      if (g.accountIds.length < 10) g.accountIds.push(a.id);
      continue;
    }
    const key = `${client.app === 'tenant' ? a.tenantId : ''}|${a.provider}|${client.app}|${client.clientId}`;
    if (!known.has(key)) known.set(key, hub.tokens.hasClient(a.tenantId, a.provider, client.app, client.clientId));
    if (!(await known.get(key))) stranded.push({ accountId: a.id, tenantId: a.tenantId, provider: a.provider, clientId: client.clientId, app: client.app });
  }
  return { stranded, clientUnknown };
}

/** The client of a grant stored before its columns, read from the grant and recorded beside it; null: unreadable. */
async function recordClient(hub: Hub, a: { id: string; tenantId: string; credentials: string | null }): Promise<GrantClient | null> {
  if (!a.credentials) return null;
  let grant: StoredGrant;
  try {
    grant = hub.tokens.decrypt(a.credentials);
  } catch {
    return null;
  }
  const client = { app: grant.app, clientId: grant.clientId ?? null };
  await hub.store.tenant(a.tenantId).accounts.fillGrantClient(a.id, client);
  return client;
}
