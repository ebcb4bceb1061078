/**
 * Which of the scopes calhub needs a user left out (the token response's `scope`): the callback
 * answers INSUFFICIENT_SCOPE naming them. Microsoft needs User.Read besides the calendar scope: a
 * partial consent without it made /me answer 403, reported as PROVIDER_ERROR.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../shared/config/index.ts';
import { oauthProvider } from './index.ts';

const config = loadConfig({ GOOGLE_CLIENT_ID: 'g', GOOGLE_CLIENT_SECRET: 's', MICROSOFT_CLIENT_ID: 'm', MICROSOFT_CLIENT_SECRET: 's' }).oauth;
const G = 'https://www.googleapis.com/auth/';

test('microsoft: User.Read and the calendar scope of the access asked, in any case or with the Graph prefix', () => {
  const ms = oauthProvider('microsoft', config);
  assert.deepEqual(ms.missing(['Calendars.Read'], 'read'), ['User.Read'], 'the partial consent the user hit');
  assert.deepEqual(ms.missing(['User.Read'], 'read'), ['Calendars.Read']);
  assert.deepEqual(ms.missing(['User.Read', 'Calendars.Read'], 'readwrite'), ['Calendars.ReadWrite']);
  assert.deepEqual(ms.missing(['https://graph.microsoft.com/user.read', 'calendars.readwrite'], 'read'), []);
  assert.deepEqual(ms.missing(['User.Read', 'Calendars.ReadWrite', 'profile', 'openid'], 'readwrite'), []);
});

test('google: calendar.readonly, and calendar.events for writes; the full calendar scope covers both; calendar.app.created is optional', () => {
  const g = oauthProvider('google', config);
  assert.deepEqual(g.missing([`${G}calendar.readonly`], 'readwrite'), [`${G}calendar.events`]);
  assert.deepEqual(g.missing([], 'read'), [`${G}calendar.readonly`]);
  assert.deepEqual(g.missing([`${G}calendar`], 'readwrite'), []);
  assert.deepEqual(g.missing([`${G}calendar.readonly`, `${G}calendar.events`], 'readwrite'), []);
});
