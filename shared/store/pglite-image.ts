/**
 * Tests only: a saved image of a freshly initialised, UNMIGRATED in-memory PGlite cluster. PGlite's
 * initdb costs each in-memory store ~4 s of CPU, and the tests open ~200 of them; loading the image
 * costs under 1 s. scripts/run-tests.mjs sets CALHUB_TEST_PGLITE_IMAGE to a directory; without it
 * nothing here runs and an in-memory store is initialised as always. The image holds no migrations,
 * so a test that migrates `upTo` a version, or tests a migration, gets the same empty database.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const IMAGE_ENV = 'CALHUB_TEST_PGLITE_IMAGE';

/**
 * The image's file, named by all it depends on (PGlite's version, the start settings, the
 * extensions), so a PGlite upgrade or a changed setting makes a new image instead of serving a stale one.
 */
export function imagePath(dir: string, startParams: readonly string[], extensions: readonly string[]): string {
  const pkg = pgliteVersion();
  const key = createHash('sha256').update(JSON.stringify({ pglite: pkg.version, startParams, extensions, format: 1 })).digest('hex').slice(0, 16);
  return join(dir, `pglite-${pkg.version}-${key}.tar`);
}

/** The package does not export its package.json, so it is found above its entry point. */
function pgliteVersion(): { version: string } {
  for (let dir = dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (pkg.name === '@electric-sql/pglite') return pkg;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  throw new Error('the version of @electric-sql/pglite was not found');
}

export function readImage(path: string): Blob | null {
  try {
    return new Blob([readFileSync(path)]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Written beside its final name and renamed into place, so a test file reading it never sees half of one written by another. */
export function saveImage(path: string, dir: string, bytes: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
