/**
 * Who signed in, as the account views show it (`email`): Google's primary calendar id, Graph's
 * /me mail, else userPrincipalName. Against the emulators, which answer as the providers do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { oauthProvider } from './providers.ts';

describe('identify: the account email', () => {
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  before(async () => {
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
  });
  after(async () => {
    await google?.close();
    await ms?.close();
  });

  it("Google: the primary calendar's id", async () => {
    google.control.createUser({ email: 'ana@example.test' });
    google.control.createCalendar({ ownerEmail: 'ana@example.test', summary: 'Side' });
    const { accessToken } = google.control.issueGrant({ email: 'ana@example.test' });
    const config = loadConfig({ GOOGLE_AUTH_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url });
    const id = await oauthProvider('google', { ...config.oauth, google: { ...config.oauth.google, apiBaseUrl: google.url } }).identify(accessToken, fetch);
    assert.deepEqual([id.externalId, id.email], ['ana@example.test', 'ana@example.test']);
  });

  it('Microsoft: /me mail; a user whose mail is null: userPrincipalName', async () => {
    const config = loadConfig({});
    const graph = oauthProvider('microsoft', { ...config.oauth, microsoft: { ...config.oauth.microsoft, apiBaseUrl: ms.url } });
    const lee = ms.control.createUser({ email: 'lee@contoso.test' });
    const withMail = await graph.identify(ms.control.issueToken({ userId: lee.id }).accessToken, fetch);
    assert.deepEqual([withMail.externalId, withMail.email], [lee.id, 'lee@contoso.test']);
    const kim = ms.control.createUser({ email: 'kim@contoso.test', mail: null });
    const noMail = await graph.identify(ms.control.issueToken({ userId: kim.id }).accessToken, fetch);
    assert.deepEqual([noMail.externalId, noMail.email, noMail.mailbox], [kim.id, 'kim@contoso.test', 'kim@contoso.test']);
    const me = (await (await fetch(`${ms.url}/v1.0/me`, { headers: { authorization: `Bearer ${ms.control.issueToken({ userId: kim.id }).accessToken}` } })).json()) as { mail: unknown; userPrincipalName: unknown };
    assert.deepEqual([me.mail, me.userPrincipalName], [null, 'kim@contoso.test']);
  });
});
