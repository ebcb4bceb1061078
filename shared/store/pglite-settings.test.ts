/**
 * Issue 15: the embedded database's buffer pool is resident in WebAssembly memory for as long as
 * the store runs, so it opens with a small one whatever its postgresql.conf says (128MB).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { Store } from './store.ts';

it('the embedded database opens with a 16MB buffer pool, not the 128MB of its postgresql.conf', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calhub-pglite-settings-'));
  const store = await Store.open({ dataDir: dir });
  try {
    const [row] = await store.db.query<{ shared_buffers: string }>('SHOW shared_buffers');
    assert.equal(row?.shared_buffers, '16MB');
    // And keeps less WAL on disk than PostgreSQL's 80MB-1GB.
    const [wal] = await store.db.query<{ max_wal_size: string }>('SHOW max_wal_size');
    assert.equal(wal?.max_wal_size, '64MB');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('CALHUB_PGLITE_WASM other than small or fast is refused with the value named', async () => {
  const was = process.env['CALHUB_PGLITE_WASM'];
  process.env['CALHUB_PGLITE_WASM'] = 'turbo';
  try {
    await assert.rejects(Store.open({ dataDir: null }), /CALHUB_PGLITE_WASM must be "small" or "fast" \(got "turbo"\)/);
  } finally {
    if (was === undefined) delete process.env['CALHUB_PGLITE_WASM'];
    else process.env['CALHUB_PGLITE_WASM'] = was;
  }
});
