import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startEnv, type TestEnv } from './test-support.ts';

describe('google emulator: auth and OAuth', () => {
  let env: TestEnv;
  before(async () => (env = await startEnv()));
  after(() => env.emu.close());

  const form = (body: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
    redirect: 'manual' as const,
  });

  async function authorize(extra: Record<string, string> = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = { client_id: 'app-1', redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code', scope: 'https://www.googleapis.com/auth/calendar', state: 'st-123', access_type: 'offline', code_challenge: challenge, code_challenge_method: 'S256', login_hint: env.email, ...extra };
    const page = await fetch(`${env.emu.url}/o/oauth2/v2/auth?${new URLSearchParams(params)}`);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /<form method="post" action="\/o\/oauth2\/v2\/auth">/);
    assert.match(html, /<button type="submit" name="decision" value="allow">Allow<\/button>/);
    const r = await fetch(`${env.emu.url}/o/oauth2/v2/auth`, form({ ...params, account: env.email, decision: 'allow' }));
    assert.equal(r.status, 302);
    const loc = new URL(r.headers.get('location')!);
    assert.equal(loc.searchParams.get('state'), 'st-123');
    return { code: loc.searchParams.get('code')!, verifier };
  }

  const exchange = (code: string, verifier: string) =>
    fetch(`${env.emu.url}/token`, form({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: 'app-1', redirect_uri: 'http://127.0.0.1:9/cb' }));

  it('API calls without a token get 401 in Google JSON shape', async () => {
    const r = await env.call('/calendar/v3/users/me/calendarList', { token: null });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 401);
    assert.equal(r.json.error.errors[0].location, 'Authorization');
    const bad = await env.call('/calendar/v3/users/me/calendarList', { token: 'nope' });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.error.errors[0].reason, 'authError');
  });

  it('consent → code + state → token with PKCE S256 → API access; the code is single use', async () => {
    const { code, verifier } = await authorize();
    const t = await exchange(code, verifier);
    const tokens = (await t.json()) as { access_token: string; refresh_token: string; expires_in: number; token_type: string };
    assert.equal(t.status, 200);
    assert.equal(tokens.token_type, 'Bearer');
    assert.ok(tokens.refresh_token);
    assert.equal((await env.call('/calendar/v3/users/me/calendarList', { token: tokens.access_token })).status, 200);
    const again = await exchange(code, verifier);
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
  });

  it('Cancel on the consent page redirects with error=access_denied and the state', async () => {
    const r = await fetch(`${env.emu.url}/o/oauth2/v2/auth`, form({ client_id: 'app-1', redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code', state: 'st-9', account: env.email, decision: 'deny' }));
    const loc = new URL(r.headers.get('location')!);
    assert.deepEqual([loc.searchParams.get('error'), loc.searchParams.get('state'), loc.searchParams.get('code')], ['access_denied', 'st-9', null]);
  });

  it('the consent page lets the user untick scopes: the code and token carry only what was granted', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const scope = 'https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events';
    const params = { client_id: 'app-1', redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code', scope, state: 'st-p', access_type: 'offline', code_challenge: challenge, code_challenge_method: 'S256' };
    const html = await (await fetch(`${env.emu.url}/o/oauth2/v2/auth?${new URLSearchParams(params)}`)).text();
    const boxes = [...html.matchAll(/<input type="checkbox" name="(grant_\d+)" value="([^"]+)" checked>/g)].map((m) => [m[1]!, m[2]!] as const);
    assert.deepEqual(boxes.map(([, v]) => v), scope.split(' '));
    // The user leaves only the first box ticked, as a browser would post the form.
    const r = await fetch(`${env.emu.url}/o/oauth2/v2/auth`, form({ ...params, scope_choice: '1', [boxes[0]![0]]: boxes[0]![1], account: env.email, decision: 'allow' }));
    const loc = new URL(r.headers.get('location')!);
    assert.equal(loc.searchParams.get('scope'), 'https://www.googleapis.com/auth/calendar.readonly');
    const t = (await (await exchange(loc.searchParams.get('code')!, verifier)).json()) as { scope: string; access_token: string };
    assert.equal(t.scope, 'https://www.googleapis.com/auth/calendar.readonly');
    const write = await env.call(`/calendar/v3/calendars/primary/events`, { method: 'POST', token: t.access_token, body: { start: { date: '2026-01-01' }, end: { date: '2026-01-02' } } });
    assert.equal(write.status, 403, 'the unticked write scope was not granted');
  });

  it('a missing code_verifier for a PKCE code is invalid_grant', async () => {
    const { code } = await authorize();
    const r = await fetch(`${env.emu.url}/token`, form({ grant_type: 'authorization_code', code, client_id: 'app-1', redirect_uri: 'http://127.0.0.1:9/cb' }));
    assert.equal(((await r.json()) as { error: string }).error, 'invalid_grant');
  });

  it('a wrong code_verifier is invalid_grant', async () => {
    const { code } = await authorize();
    const r = await exchange(code, 'wrong-verifier');
    assert.equal(((await r.json()) as { error: string }).error, 'invalid_grant');
  });

  it('the refresh token comes only on the first authorization unless prompt=consent', async () => {
    const second = await authorize();
    const t2 = (await (await exchange(second.code, second.verifier)).json()) as { refresh_token?: string };
    assert.equal(t2.refresh_token, undefined);
    const forced = await authorize({ prompt: 'consent' });
    const t3 = (await (await exchange(forced.code, forced.verifier)).json()) as { refresh_token?: string };
    assert.ok(t3.refresh_token);
  });

  it('refresh works until the grant is revoked, then invalid_grant and 401', async () => {
    const r = await fetch(`${env.emu.url}/token`, form({ grant_type: 'refresh_token', refresh_token: env.refreshToken, client_id: 'emulator-client' }));
    const fresh = (await r.json()) as { access_token: string; refresh_token?: string };
    assert.equal(r.status, 200);
    assert.equal(fresh.refresh_token, undefined, 'Google does not rotate refresh tokens');
    const rev = await fetch(`${env.emu.url}/revoke`, form({ token: env.refreshToken }));
    assert.equal(rev.status, 200);
    const after = await fetch(`${env.emu.url}/token`, form({ grant_type: 'refresh_token', refresh_token: env.refreshToken }));
    assert.equal(after.status, 400);
    assert.deepEqual(await after.json(), { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    assert.equal((await env.call('/calendar/v3/users/me/calendarList', { token: fresh.access_token })).status, 401);
  });

  it('expired access tokens get 401', async () => {
    const g = env.emu.control.issueGrant({ email: env.email });
    env.emu.control.advanceClock(3600 * 1000);
    assert.equal((await env.call('/calendar/v3/users/me/calendarList', { token: g.accessToken })).status, 401);
    env.emu.control.advanceClock(-3600 * 1000);
  });

  it('a read-only scope cannot write: 403 insufficientPermissions', async () => {
    const g = env.emu.control.issueGrant({ email: env.email, scope: 'https://www.googleapis.com/auth/calendar.readonly' });
    const r = await env.call(`/calendar/v3/calendars/primary/events`, { method: 'POST', token: g.accessToken, body: { start: { date: '2026-01-01' }, end: { date: '2026-01-02' } } });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.errors[0].reason, 'insufficientPermissions');
  });
});
