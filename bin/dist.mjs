// Whether `calhub` runs from dist/ (scripts/build.mjs) or from its TypeScript sources through tsx.
// dist/ is used only while it is fresh: every source file it was built from still has the size
// and modification time it had then (about 300 stat calls, a few ms). An edited, added or
// deleted module changes an importer, so a stale build is never run.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(root, 'dist');

/** Source entry (relative to the root) -> its bundle in dist/. */
export const ENTRIES = {
  'cli/main.ts': 'main.js',
  'cli/launch/store-thread.ts': 'store-thread.js',
  'cli/launch/sync-thread.ts': 'sync-thread.js',
};

/** How scripts/build.mjs bundles; cli/launch/thread-imports.test.ts bundles the same way to see what each thread loads. */
export const BUNDLE = { bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external' };

export function inputStamp(file, base = root) {
  const s = statSync(join(base, file));
  return `${s.size}:${s.mtimeMs}`;
}

function read(dist) {
  try {
    return JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** Whether the build in `dist` (of the sources under `base`) may run. */
export function fresh(base = root, dist = DIST) {
  const m = read(dist);
  if (!m || JSON.stringify(m.entries) !== JSON.stringify(ENTRIES)) return false;
  try {
    return Object.entries(m.inputs).every(([file, stamp]) => inputStamp(file, base) === stamp);
  } catch {
    return false;
  }
}

/** The bundle to import for a source entry (a file: URL), or null: run the source through tsx. */
export function builtEntry(sourceUrl) {
  const file = ENTRIES[fileURLToPath(sourceUrl).slice(root.length)];
  if (!file || process.env.CALHUB_FROM_SOURCES === '1' || !fresh()) return null;
  return pathToFileURL(join(DIST, file)).href;
}
