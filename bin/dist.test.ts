import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENTRIES, fresh, inputStamp } from './dist.mjs';

describe('dist/ freshness (bin/dist.mjs)', () => {
  it('runs a build only while every input has the size and time it had at the build', () => {
    const base = mkdtempSync(join(tmpdir(), 'calhub-dist-'));
    try {
      const dist = join(base, 'dist');
      mkdirSync(join(base, 'cli'));
      mkdirSync(dist);
      writeFileSync(join(base, 'cli', 'a.ts'), 'export const a = 1;\n');
      writeFileSync(join(base, 'cli', 'b.ts'), 'export const b = 2;\n');
      const manifest = (entries: Record<string, string> = ENTRIES) =>
        writeFileSync(join(dist, 'manifest.json'), JSON.stringify({ entries, inputs: { 'cli/a.ts': inputStamp('cli/a.ts', base), 'cli/b.ts': inputStamp('cli/b.ts', base) } }));
      assert.equal(fresh(base, dist), false, 'no manifest: the sources');
      manifest();
      assert.equal(fresh(base, dist), true);
      // Same size, another time (a checkout, an edit that keeps the length).
      utimesSync(join(base, 'cli', 'a.ts'), new Date(), new Date(Date.now() + 5000));
      assert.equal(fresh(base, dist), false, 'an input changed since the build');
      manifest();
      rmSync(join(base, 'cli', 'b.ts'));
      assert.equal(fresh(base, dist), false, 'an input is gone');
      writeFileSync(join(base, 'cli', 'b.ts'), 'export const b = 2;\n');
      manifest({ 'cli/main.ts': 'other.js' });
      assert.equal(fresh(base, dist), false, 'built for other entries');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
