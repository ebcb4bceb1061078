/**
 * The mass-change guard on a Google listing that spreads its deletions over several pages (the
 * emulator's pages of 4). The guard trips on the page that crosses its rule, after the pages before
 * it were applied; it flagged with the counts up to that page, so `calendars unflag` approved fewer
 * removals than the listing held and the next run was flagged again (a second unflag was needed).
 * The flag now counts the whole run, and the unflag approves what is left of it: once, and no more.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { MassChangeError, planCalendarSync, settle } from '../../sync-engine/index.ts';
import { DEFAULT_GUARD } from '../../sync-engine/guard.ts';
import { openHub, type HubSetup } from '../support/hub-store.ts';

const EMAIL = 'guard.pages@example.com';
const CLIENT = 'calhub-guard-pages';
let emu: RunningGoogleEmulator;
let h: HubSetup;
let calId = '';
const ids: string[] = [];

before(async () => {
  emu = await startGoogleEmulator();
  const c = emu.control;
  c.createUser({ email: EMAIL, timeZone: 'UTC' });
  c.setPaging({ maxPageSize: 4, emptyPageEvery: 0 });
  for (let i = 0; i < 40; i += 1) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    ids.push(c.insertEvent(EMAIL, { summary: `e${i}`, start: { dateTime: `2026-12-${day}T${String(8 + (i % 9)).padStart(2, '0')}:00:00Z` }, end: { dateTime: `2026-12-${day}T${String(9 + (i % 9)).padStart(2, '0')}:00:00Z` } }).id);
  }
  const grant = c.issueGrant({ email: EMAIL, clientId: CLIENT });
  h = await openHub({ provider: 'google', externalId: EMAIL, baseUrl: emu.url, clientId: CLIENT, tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: Date.now() + 3_600_000 } });
  h.deps.guard = DEFAULT_GUARD;
  calId = h.calendars.get(EMAIL)!;
  await settle(h.deps, h.tenantId, [calId]);
});
after(async () => {
  await h?.store.close();
  await emu?.close();
});

const held = async () => (await h.store.tenant(h.tenantId).events.list(calId)).length;

it('one unflag approves the whole paged deletion the flag showed, and a deletion beyond it still trips', async () => {
  const t = h.store.tenant(h.tenantId);
  assert.equal(await held(), 40);
  // 30 of 40 deleted at Google: 8 pages of 4 deletions (minus what fits), the rule crossed on page 3.
  for (const id of ids.slice(0, 30)) emu.control.deleteEvent(EMAIL, id);
  await assert.rejects(settle(h.deps, h.tenantId, [calId]), MassChangeError);
  const flagged = (await t.sync.settings(calId))!;
  assert.match(flagged.flaggedReason ?? '', /delete or cancel 30 of 40 objects; \d+ removals of it were applied before the guard stopped it$/, 'the flag shows the whole run, not the pages up to the trip');
  const applied = 40 - (await held());
  assert.ok(applied > 0 && applied < 10, `the pages before the trip were applied (${applied})`);
  assert.equal(flagged.guardTripped?.removed, 30 - applied, 'what is left of the run is what an unflag approves');
  assert.equal((await planCalendarSync(h.deps, h.tenantId, calId)).guard, null, 'the dry run after an unflag goes through');

  // Meanwhile 8 of the 10 left are deleted too: beyond the approval, that is a mass deletion of its own.
  for (const id of ids.slice(30, 38)) emu.control.deleteEvent(EMAIL, id);
  await t.sync.unflag(calId);
  await assert.rejects(settle(h.deps, h.tenantId, [calId]), MassChangeError);
  assert.match((await t.sync.settings(calId))!.flaggedReason ?? '', new RegExp(`delete or cancel 30 of ${40 - applied} objects`));

  // One unflag of that flag, one run: everything it showed goes through.
  await t.sync.unflag(calId);
  await settle(h.deps, h.tenantId, [calId]);
  assert.equal(await held(), 2);
  const s = (await t.sync.settings(calId))!;
  assert.equal(s.flaggedReason, null);
  assert.equal(s.guardAllowance, null, 'the approval is spent');
});
