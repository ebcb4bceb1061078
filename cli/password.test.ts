import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { PASSWORD_ENV, readPassword } from './password.ts';

const none = Readable.from([]);

describe('CalDAV passwords never come from argv', () => {
  it('--password is refused, naming the three ways that work', async () => {
    await assert.rejects(readPassword({ password: 'hunter2' }, {}, none), /--password is refused.*--password-stdin, --password-file <path> or the CALHUB_CALDAV_PASSWORD/);
  });

  it('reads stdin, a file or the environment (one trailing newline dropped), exactly one of them', async () => {
    assert.equal(await readPassword({ 'password-stdin': true }, {}, Readable.from([Buffer.from('s3cret pass\n')])), 's3cret pass');
    const dir = await mkdtemp(join(tmpdir(), 'calhub-pw-'));
    try {
      await writeFile(join(dir, 'pw'), 'from file\r\n', { mode: 0o600 });
      assert.equal(await readPassword({ 'password-file': join(dir, 'pw') }, {}, none), 'from file');
      await assert.rejects(readPassword({ 'password-file': join(dir, 'missing') }, {}, none), /cannot read .*ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.equal(await readPassword({}, { [PASSWORD_ENV]: 'from env' }, none), 'from env');
    await assert.rejects(readPassword({ 'password-stdin': true }, { [PASSWORD_ENV]: 'x' }, none), /one way only/);
    await assert.rejects(readPassword({}, {}, none), /missing password/);
  });
});
