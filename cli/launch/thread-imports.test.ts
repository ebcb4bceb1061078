/**
 * What each thread of `calhub start` loads when it starts (issue 15: every module a thread loads
 * stays in its heap for the life of the hub). Bundled as scripts/build.mjs bundles them, in memory;
 * a thread's start is its entry's static imports, followed through the shared chunks. Dynamic
 * imports are what it loads on use.
 */
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { build, type Metafile } from 'esbuild';
import { BUNDLE } from '../../bin/dist.mjs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = { api: 'cli/launch/launch.ts', store: 'cli/launch/store-thread.ts', sync: 'cli/launch/sync-thread.ts' } as const;
type Thread = keyof typeof ENTRIES;

/** `@scope/name/sub` and `name/sub` -> the package's name. */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

let meta: Metafile;
before(async () => {
  const r = await build({
    absWorkingDir: root,
    entryPoints: Object.values(ENTRIES),
    outdir: '/tmp/calhub-thread-imports', // nothing is written
    write: false,
    ...BUNDLE,
    metafile: true,
    logLevel: 'silent',
  });
  meta = r.metafile;
});

/** The packages a thread's code imports: at its start (static imports only) or at all. */
function packages(thread: Thread, o: { dynamic: boolean }): Set<string> {
  const entry = Object.entries(meta.outputs).find(([, out]) => out.entryPoint === ENTRIES[thread]);
  assert.ok(entry, `no output for ${ENTRIES[thread]}`);
  const seen = new Set<string>();
  const found = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of meta.outputs[file]?.imports ?? []) {
      if (i.kind !== 'import-statement' && !(o.dynamic && i.kind === 'dynamic-import')) continue;
      if (i.external) {
        if (!i.path.startsWith('node:')) found.add(packageOf(i.path));
      } else walk(i.path);
    }
  };
  walk(entry[0]);
  return found;
}

const loads = (thread: Thread, names: string[]) => names.filter((n) => packages(thread, { dynamic: false }).has(n));

describe('what the threads of calhub start load at start', () => {
  it('the walk sees what each thread needs (so the checks below can fail)', () => {
    assert.ok(packages('api', { dynamic: false }).has('fastify'));
    assert.ok(packages('sync', { dynamic: false }).has('bullmq'));
    // Loaded on use, so reached by dynamic imports only.
    assert.ok(packages('store', { dynamic: true }).has('@electric-sql/pglite'));
    assert.ok(packages('api', { dynamic: true }).has('@bull-board/api'));
    assert.ok(packages('api', { dynamic: true }).has('pino') && !packages('api', { dynamic: true }).has('pino-pretty'), 'pino-pretty is required on a terminal only');
  });

  it('the API thread loads the queue dashboard only when it is on, and no PGlite', () => {
    assert.deepEqual(loads('api', ['@bull-board/api', '@bull-board/fastify', '@electric-sql/pglite', 'pino-pretty']), []);
  });

  it('the sync thread loads no HTTP server, API docs, dashboard or PGlite', () => {
    assert.deepEqual(loads('sync', ['fastify', '@fastify/swagger', '@fastify/swagger-ui', '@bull-board/api', '@bull-board/fastify', '@electric-sql/pglite', 'pino-pretty']), []);
  });

  it("the store thread loads PGlite's server and little else", () => {
    assert.deepEqual(loads('store', ['fastify', '@fastify/swagger-ui', '@bull-board/api', 'bullmq', 'ioredis', 'zod', 'ical.js', 'pino-pretty']), []);
  });
});
