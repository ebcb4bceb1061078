/**
 * Revoking a disconnected account's grant at the provider (Google; the Microsoft identity platform
 * has no revocation endpoint for user grants, so its stored tokens are only destroyed): at the
 * disconnect, or after the account's last queued channel stop when the disconnect deferred it
 * (a revoked grant could not stop anything, hub/channels/stop-queue.ts).
 */
import { revokeToken, type OAuthProviderId, type TokenManager } from '../../oauth/index.ts';

/**
 * `kept`: not revoked, because the grant may still serve another connection: another working
 * account (of any tenant) signs in as the same provider user through the same OAuth client.
 */
export async function revokeGrant(tokens: TokenManager, g: { tenantId: string; provider: OAuthProviderId; externalId: string; accountId: string; credentials: string }): Promise<'yes' | 'not-supported' | 'kept'> {
  const grant = tokens.decrypt(g.credentials);
  const clientId = await tokens.clientIdOf(g.tenantId, g.provider, grant);
  // A revocation ends the user's grant to this client only: other clients' grants are not touched.
  if ((await tokens.sameClientSignIns(g.provider, g.externalId, clientId, g.accountId)) > 0) return 'kept';
  // Through the client that issued the grant; one no longer configured cannot refresh it, but
  // a revocation takes the token itself (RFC 7009), so it is still tried through the app's current client.
  const provider = (await tokens.issuingClient(g.tenantId, g.provider, grant.app, grant.clientId ?? null)) ?? (await tokens.providerFor(g.tenantId, g.provider, grant.app, null));
  return (await revokeToken(provider, grant.refreshToken ?? grant.accessToken)) ? 'yes' : 'not-supported';
}
