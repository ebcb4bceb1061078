/**
 * Token-endpoint calls for the Microsoft identity platform v2.0 (provider-facts B.8). Every refresh
 * returns a new refresh token that must replace the stored one. Failures map through the error
 * mapper: `invalid_grant` → GrantRevokedError, others → Transient.
 */
import { mapMicrosoftError } from './map-microsoft-error.ts';

export interface MicrosoftTokens { accessToken: string; refreshToken: string | null; expiresIn: number; scope: string }

export async function requestMicrosoftToken(
  authorityUrl: string, form: Record<string, string>, fetchFn: typeof fetch = fetch,
): Promise<MicrosoftTokens> {
  let res: Response;
  try {
    res = await fetchFn(`${authorityUrl.replace(/\/$/, '')}/oauth2/v2.0/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
    });
  } catch (e) {
    throw mapMicrosoftError(e);
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch { /* non-JSON error page */ }
  if (!res.ok) throw mapMicrosoftError({ status: res.status, code: String(json.error ?? ''), message: String(json.error_description ?? '').split('\r\n')[0], headers: res.headers });
  return {
    accessToken: String(json.access_token), refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : null,
    expiresIn: Number(json.expires_in ?? 0), scope: String(json.scope ?? ''),
  };
}

/** `authorityUrl` is `<login origin>/<tenant>`, e.g. https://login.microsoftonline.com/common. */
export function refreshMicrosoftToken(authorityUrl: string, o: { clientId: string; refreshToken: string; scope: string; clientSecret?: string }, fetchFn?: typeof fetch): Promise<MicrosoftTokens> {
  return requestMicrosoftToken(authorityUrl, {
    grant_type: 'refresh_token', client_id: o.clientId, refresh_token: o.refreshToken, scope: o.scope,
    ...(o.clientSecret ? { client_secret: o.clientSecret } : {}),
  }, fetchFn);
}
