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

/** Accounts (not already needs_reauth) bound to one client the hub no longer has. */
export interface ClientMissing extends ClientUnknown {
  /** The client that issued their grants (an OAuth client id is public: it is in every authorize URL). */
  clientId: string;
}

const SHOWN = 10;

/**
 * The clients the hub no longer has, with the accounts whose grants they issued, and the grants
 * whose client is not known. Read per client from the columns beside the grants (migration 0059):
 * no grant is decrypted, except once each for grants stored before the columns, whose client is
 * then recorded. A grant that cannot be read is left out.
 */
export async function grantClients(hub: Hub): Promise<{ clientsMissing: ClientMissing[]; clientUnknown: ClientUnknown[] }> {
  for (const a of await opsQueries.grantsWithoutClientColumns(hub.store.db)) await recordClient(hub, a);
  const clientsMissing: ClientMissing[] = [];
  const clientUnknown: ClientUnknown[] = [];
  // A tenant's own apps are grouped per tenant; what is shown merges tenants with the same client.
  const add = <G extends ClientUnknown>(list: G[], same: (g: G) => boolean, fresh: G, n: number, ids: string[]) => {
    let g = list.find(same);
    if (!g) list.push((g = fresh));
    g.n += n;
    g.accountIds = [...g.accountIds, ...ids].slice(0, SHOWN);
  };
  for (const c of await opsQueries.grantClientGroups(hub.store.db, SHOWN)) {
    if (!isOAuthProvider(c.provider)) continue;
    const provider = c.provider;
    if (c.clientId === null) {
      add(clientUnknown, (g) => g.provider === provider && g.app === c.app, { provider, app: c.app, n: 0, accountIds: [] }, c.n, c.accountIds);
      continue;
    }
    const clientId = c.clientId;
    if (await hub.tokens.hasClient(c.tenantId ?? c.firstTenantId, provider, c.app, clientId)) continue;
    add(clientsMissing, (g) => g.provider === provider && g.app === c.app && g.clientId === clientId, { provider, app: c.app, clientId, n: 0, accountIds: [] }, c.n, c.accountIds);
  }
  return { clientsMissing, clientUnknown };
}

/** The client of a grant stored before its columns, read from the grant and recorded beside it; null: unreadable. */
async function recordClient(hub: Hub, a: { id: string; tenantId: string; credentials: string }): Promise<GrantClient | null> {
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
