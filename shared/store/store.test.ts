import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStoreContract } from './store.contract.ts';
import { Store } from './store.ts';

runStoreContract('PGlite (in memory)', () => Store.open({ dataDir: null }));

test('every migration file has its own version number', async () => {
  const { migrationFiles } = await import('./migrate.ts');
  const versions = migrationFiles().map((m) => m.version);
  assert.equal(new Set(versions).size, versions.length);
});
