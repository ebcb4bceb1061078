import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ianaToWindows, resolveZone, windowsToIana } from './index.ts';

test('Windows → IANA (CLDR primary zone)', () => {
  assert.equal(windowsToIana('W. Europe Standard Time'), 'Europe/Berlin');
  assert.equal(windowsToIana('Eastern Standard Time'), 'America/New_York');
  assert.equal(windowsToIana('eastern standard time'), 'America/New_York');
  assert.equal(windowsToIana('Romance Standard Time'), 'Europe/Paris');
  // CLDR's primary is the old name (Asia/Calcutta); the current one is answered, as written.
  assert.equal(windowsToIana('India Standard Time'), 'Asia/Kolkata');
  assert.equal(windowsToIana('FLE Standard Time'), 'Europe/Kyiv');
  assert.equal(windowsToIana('Tokyo Standard Time'), 'Asia/Tokyo');
  assert.equal(windowsToIana('UTC'), 'UTC');
  assert.equal(windowsToIana('tzone://Microsoft/Utc'), 'UTC');
  assert.equal(windowsToIana('Customized Time Zone'), null);
  assert.equal(windowsToIana('Nowhere Standard Time'), null);
});

test('IANA → Windows, including links and renamed zones', () => {
  assert.equal(ianaToWindows('Europe/Berlin'), 'W. Europe Standard Time');
  assert.equal(ianaToWindows('America/New_York'), 'Eastern Standard Time');
  assert.equal(ianaToWindows('US/Eastern'), 'Eastern Standard Time');
  assert.equal(ianaToWindows('Europe/Kiev'), 'FLE Standard Time');
  assert.equal(ianaToWindows('Europe/Kyiv'), 'FLE Standard Time');
  assert.equal(ianaToWindows('Asia/Calcutta'), 'India Standard Time');
  assert.equal(ianaToWindows('Asia/Kolkata'), 'India Standard Time');
  assert.equal(ianaToWindows('Pacific/Kanton'), 'UTC+13');
  assert.equal(ianaToWindows('UTC'), 'UTC');
  assert.equal(ianaToWindows('Etc/UTC'), 'UTC');
  assert.equal(ianaToWindows('Mars/Olympus'), null);
});

test('resolveZone accepts iCalendar TZIDs and Graph names', () => {
  assert.equal(resolveZone('Europe/Berlin'), 'Europe/Berlin');
  assert.equal(resolveZone('europe/berlin'), 'Europe/Berlin');
  assert.equal(resolveZone('Asia/Kolkata'), 'Asia/Kolkata');
  assert.equal(resolveZone('America/Argentina/Buenos_Aires'), 'America/Argentina/Buenos_Aires');
  assert.equal(resolveZone('W. Europe Standard Time'), 'Europe/Berlin');
  assert.equal(resolveZone('Eastern Standard Time'), 'America/New_York');
  assert.equal(resolveZone('tzone://Microsoft/Utc'), 'UTC');
  assert.equal(resolveZone('/mozilla.org/20050126_1/Europe/Berlin'), 'Europe/Berlin');
  assert.equal(resolveZone('/softwarestudio.org/Olson_20011030_5/America/New_York'), 'America/New_York');
  assert.equal(resolveZone('/Europe/Berlin'), 'Europe/Berlin');
  assert.equal(resolveZone('/citadel.org/20190914_1/America/Argentina/Buenos_Aires'), 'America/Argentina/Buenos_Aires');
  assert.equal(resolveZone('"Europe/Paris"'), 'Europe/Paris');
  assert.equal(resolveZone('(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna'), 'Europe/Berlin');
  for (const u of ['Z', 'GMT', 'UTC', 'utc']) assert.equal(resolveZone(u), 'UTC');
  assert.equal(resolveZone('Customized Time Zone'), null);
  assert.equal(resolveZone('Mars/Olympus'), null);
  assert.equal(resolveZone(''), null);
  assert.equal(resolveZone('+01:00'), null);
});
