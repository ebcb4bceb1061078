import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Store } from './index.ts';

// Issue 18: 968 of 1,130 PGlite files were world-writable, pg_control and the catalogs included.
describe('the embedded data dir is the owner\'s alone', () => {
  const root = mkdtempSync(join(tmpdir(), 'calhub-mode-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Files another local user could reach: every directory on the way must let them through (x). */
  function reachable(dir: string): string[] {
    if ((statSync(dir).mode & 0o011) === 0) return [];
    const out: string[] = [dir];
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) out.push(...reachable(path));
      else if ((statSync(path).mode & 0o066) !== 0) out.push(path);
    }
    return out;
  }

  it('a new data dir and its pgdata are 0700; an existing open one is tightened; nothing inside is reachable by others', async () => {
    // The check itself finds an open directory and an open file in it.
    const probe = join(root, 'probe');
    mkdirSync(probe, { mode: 0o777 });
    chmodSync(probe, 0o777);
    writeFileSync(join(probe, 'f'), '', { mode: 0o666 });
    chmodSync(join(probe, 'f'), 0o666);
    assert.deepEqual(reachable(probe), [probe, join(probe, 'f')]);
    const fresh = join(root, 'fresh');
    const open = join(root, 'open');
    mkdirSync(join(open, 'pgdata'), { recursive: true });
    chmodSync(open, 0o777);
    chmodSync(join(open, 'pgdata'), 0o777);
    for (const dir of [fresh, open]) {
      const store = await Store.open({ dataDir: dir });
      await store.migrate();
      await store.close();
      assert.equal(statSync(dir).mode & 0o777, 0o700, dir);
      assert.equal(statSync(join(dir, 'pgdata')).mode & 0o777, 0o700, `${dir}/pgdata`);
      assert.deepEqual(reachable(dir), []);
    }
  });
});
