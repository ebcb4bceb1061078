import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startMicrosoftEmulator, type MicrosoftEmulator } from './index.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';
const verifier = 'v'.repeat(50);
const challenge = createHash('sha256').update(verifier).digest('base64url');

describe('Graph emulator: identity platform v2.0', () => {
  let emu: MicrosoftEmulator;
  let userId: string;
  before(async () => {
    emu = await startMicrosoftEmulator();
    userId = emu.control.createUser({ email: 'lee@contoso.test' }).id;
    emu.control.registerApp({ clientId: 'app-1', redirectUris: [REDIRECT], name: 'calhub' });
  });
  after(async () => {
    await emu.close();
  });

  const authorizeParams = (scope: string) => new URLSearchParams({
    client_id: 'app-1', response_type: 'code', redirect_uri: REDIRECT, scope, state: 'st-1',
    code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'lee@contoso.test',
  });
  /** Loads the consent page, then submits its form with the Allow (or Cancel) button. */
  async function consent(scope: string, button: 'allow' | 'deny' = 'allow'): Promise<URL> {
    const page = await fetch(`${emu.url}/common/oauth2/v2.0/authorize?${authorizeParams(scope)}`);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /<button[^>]*value="allow"[^>]*>Accept<\/button>/);
    const fields = new URLSearchParams([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m): [string, string] => [m[1]!, m[2]!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))]));
    fields.set('user', userId);
    fields.set('consent', button);
    const res = await fetch(`${emu.url}/common/oauth2/v2.0/authorize`, { method: 'POST', body: fields, redirect: 'manual' });
    assert.equal(res.status, 302);
    return new URL(res.headers.get('location')!);
  }
  const token = async (form: Record<string, string>) => {
    const res = await fetch(`${emu.url}/common/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('exchanges a consented code with the PKCE verifier, once', async () => {
    const back = await consent('offline_access Calendars.ReadWrite');
    assert.equal(back.searchParams.get('state'), 'st-1');
    const code = back.searchParams.get('code')!;
    const wrong = await token({ grant_type: 'authorization_code', client_id: 'app-1', code, redirect_uri: REDIRECT, code_verifier: 'x'.repeat(50) });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error, 'invalid_grant');
    const back2 = await consent('offline_access Calendars.ReadWrite');
    const form = { grant_type: 'authorization_code', client_id: 'app-1', code: back2.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier };
    const ok = await token(form);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.token_type, 'Bearer');
    assert.ok(ok.json.refresh_token);
    const replay = await token(form);
    assert.equal(replay.json.error, 'invalid_grant', 'a code works once');
    assert.match(String(replay.json.error_description), /^AADSTS54005:/, 'a redeemed code says so (E, B.8)');
  });

  it('returns access_denied when the user cancels', async () => {
    const back = await consent('Calendars.Read', 'deny');
    assert.equal(back.searchParams.get('error'), 'access_denied');
  });

  it('gives a refresh token only with offline_access', async () => {
    const back = await consent('Calendars.Read');
    const r = await token({ grant_type: 'authorization_code', client_id: 'app-1', code: back.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier });
    assert.equal(r.status, 200);
    assert.equal(r.json.refresh_token, undefined);
  });

  it('rotates refresh tokens on every refresh; revocation ends the grant with invalid_grant and 401s', async () => {
    const t = emu.control.issueToken({ userId, clientId: 'app-1' });
    const r1 = await token({ grant_type: 'refresh_token', client_id: 'app-1', refresh_token: t.refreshToken!, scope: 'Calendars.ReadWrite' });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.json.refresh_token, t.refreshToken);
    const again = await token({ grant_type: 'refresh_token', client_id: 'app-1', refresh_token: t.refreshToken!, scope: 'Calendars.ReadWrite' });
    assert.equal(again.status, 200, 'the old refresh token is not revoked by use (refresh-tokens.md)');
    emu.control.revokeGrants({ userId });
    const revoked = await token({ grant_type: 'refresh_token', client_id: 'app-1', refresh_token: r1.json.refresh_token as string, scope: 'Calendars.ReadWrite' });
    assert.equal(revoked.json.error, 'invalid_grant');
    assert.match(String(revoked.json.error_description), /^AADSTS50173/);
    const graph = await fetch(`${emu.url}/v1.0/me/calendars`, { headers: { authorization: `Bearer ${r1.json.access_token}` } });
    assert.equal(graph.status, 401);
  });

  it('refuses a redirect URI the app did not register', async () => {
    const p = authorizeParams('Calendars.Read');
    p.set('redirect_uri', 'http://evil.test/cb');
    const res = await fetch(`${emu.url}/common/oauth2/v2.0/authorize?${p}`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /AADSTS50011/);
  });
});
