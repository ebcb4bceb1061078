/**
 * Tests only: with CALHUB_TEST_PGLITE_IMAGE set, an in-memory store starts from a saved initdb
 * instead of running PGlite's initdb again (~4 s of CPU each). The image is of an unmigrated
 * cluster, so what a store sees is the same as without it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { IMAGE_ENV } from './pglite-image.ts';
import { Store } from './store.ts';

async function withImageDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'calhub-pglite-image-'));
  const was = process.env[IMAGE_ENV];
  process.env[IMAGE_ENV] = dir;
  try {
    await fn(dir);
  } finally {
    if (was === undefined) delete process.env[IMAGE_ENV];
    else process.env[IMAGE_ENV] = was;
    rmSync(dir, { recursive: true, force: true });
  }
}

it('the first in-memory store saves an unmigrated image; the next starts from it, empty, and migrates with btree_gist', async () => {
  await withImageDir(async (dir) => {
    const first = await Store.open({ dataDir: null });
    try {
      await first.migrate();
    } finally {
      await first.close();
    }
    const saved = readdirSync(dir);
    assert.equal(saved.length, 1, `one image, no temporary file left: ${saved.join(', ')}`);
    assert.match(saved[0] ?? '', /^pglite-[\d.]+-[0-9a-f]{16}\.tar$/);

    // The first store's migrations are not in the image: the next store sees an empty database.
    const second = await Store.open({ dataDir: null });
    try {
      const [t] = await second.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
      assert.equal(t?.n, 0);
      await second.migrate({ upTo: 1 });
      const versions = await second.db.query<{ version: number }>('SELECT version FROM schema_migrations');
      assert.deepEqual(versions.map((v) => Number(v.version)), [1]);
      await second.migrate();
      const [ext] = await second.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'btree_gist'`);
      assert.equal(ext?.n, 1);
      const [buffers] = await second.db.query<{ shared_buffers: string }>('SHOW shared_buffers');
      assert.equal(buffers?.shared_buffers, '16MB');
    } finally {
      await second.close();
    }
    assert.deepEqual(readdirSync(dir), saved, 'the image is saved once, not by every store');
  });
});

it('without CALHUB_TEST_PGLITE_IMAGE an in-memory store saves nothing', async () => {
  await withImageDir(async (dir) => {
    delete process.env[IMAGE_ENV];
    const store = await Store.open({ dataDir: null });
    await store.close();
    assert.deepEqual(readdirSync(dir), []);
  });
});
