import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adminAuthorized } from './admin-queues.ts';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('admin credential', () => {
  const pw = 'correct-horse-battery-staple';
  it('accepts admin:<password> only', () => {
    assert.equal(adminAuthorized(basic(`admin:${pw}`), pw), true);
    assert.equal(adminAuthorized(basic(`admin:${pw}x`), pw), false);
    assert.equal(adminAuthorized(basic(`root:${pw}`), pw), false);
    assert.equal(adminAuthorized(basic(`admin:`), pw), false);
  });
  it('refuses a missing or malformed header', () => {
    assert.equal(adminAuthorized(undefined, pw), false);
    assert.equal(adminAuthorized(`Bearer ${pw}`, pw), false);
    assert.equal(adminAuthorized('Basic !!!', pw), false);
  });
});
