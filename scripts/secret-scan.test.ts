import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
// @ts-expect-error plain Node script without type declarations (it runs before any package is installed)
import { SecretScan } from './secret-scan.mjs';

const b64url = (n: number) => randomBytes(n).toString('base64url');

test('the test-log scan finds every secret shape the emulators and calhub issue, and never echoes one', () => {
  const leaks = [
    `ya29.emu-${b64url(24)}`, `1//emu-${b64url(24)}`, `4/emu-${b64url(18)}`,
    `EwB${b64url(32)}`, `M.C5${b64url(32)}`, `0.AX${b64url(32)}`,
    `chk_${b64url(32)}`, `k1:${randomBytes(32).toString('base64')}`, `whsec_${randomBytes(24).toString('base64')}`,
  ];
  const scan = new SecretScan();
  for (const l of leaks) scan.scan(`{"level":30,"msg":"refreshed","token":"${l}"}`);
  assert.equal(scan.found.length, leaks.length);
  const report: string = scan.report();
  for (const l of leaks) assert.ok(!report.includes(l), 'the report redacts the secret');
  assert.match(report, /9 secret\(s\) in 9 lines/);
});

test('ordinary test output passes the scan', () => {
  const scan = new SecretScan();
  for (const l of ['✔ a test (2.1ms)', 'ℹ tests 4', 'GET /v1/calendars?pageToken=eyJ0IjoiMjAyNiJ9 200', 'acc_01JX3 synced 1//2 items', 'url https://example.com/4/abc']) scan.scan(l);
  assert.equal(scan.found.length, 0, scan.report());
});
