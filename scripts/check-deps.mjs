#!/usr/bin/env node
// Dependencies point inward (docs/architecture.md): api, webhooks, cli -> hub -> sync-engine, oauth,
// freebusy -> connectors/connector.ts -> shared. Provider folders are imported only by
// connectors/registry.ts, and the registry only by the composition root (hub/); tests and
// benchmarks exercise them directly. A folder is entered through its index.ts. No import cycles.
// Routes (api/) and commands (cli/commands/) parse and print: they call hub/ and import no store,
// engine or connector code, and hold no SQL. Prints every violation and exits 1 if there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const root = normalize(new URL('..', import.meta.url).pathname);
const TOP = ['connectors', 'sync-engine', 'freebusy', 'hub', 'webhooks', 'oauth', 'api', 'cli', 'shared', 'emulators', 'bench', 'test'];
const PROVIDERS = ['google', 'microsoft', 'caldav', 'memory'];
// Which top-level folders each folder may import from (besides itself).
const ALLOWED = {
  shared: [],
  connectors: ['shared'],
  'sync-engine': ['shared', 'connectors'],
  oauth: ['shared', 'connectors'],
  freebusy: ['shared'],
  hub: ['shared', 'connectors', 'sync-engine', 'oauth', 'freebusy'],
  webhooks: ['shared', 'hub'],
  api: ['shared', 'hub'],
  cli: ['shared', 'hub', 'webhooks', 'api', 'emulators'],
  emulators: ['shared'],
  bench: TOP,
  test: TOP,
};
// Files of another folder that may be imported directly (the contract files and shared roots).
const PUBLIC = [/^connectors\/(connector|errors|index)\.ts$/, /^connectors\/conformance\//, /^shared\/[^/]+\.ts$/, /^shared\/[^/]+\/index\.ts$/, /^[^/]+\/index\.ts$/, /^emulators\/[^/]+\/index\.ts$/];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = TOP.flatMap((t) => { try { return walk(join(root, t)); } catch { return []; } });
// Test code: tests, benchmarks, and helpers named test-support (a file or a folder; docs/architecture.md).
const isTestish = (f) => f.startsWith('test/') || f.startsWith('bench/') || f.endsWith('.test.ts') || /(^|\/)test-support(\/|\.ts$)/.test(f);
const providerOf = (f) => { const m = /^connectors\/([^/]+)\//.exec(f); return m && PROVIDERS.includes(m[1]) ? m[1] : null; };
const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

// Routes and commands: api/ (but its tests and test support) and cli/commands/.
// The free/busy read path still lives in api/ until it moves to freebusy/ (issue 10): exempt until then.
const PENDING = new Set();
const isSurface = (f) => (f.startsWith('api/') || f.startsWith('cli/commands/')) && !f.endsWith('.test.ts') && !f.includes('test-support') && !PENDING.has(f);
// SQL in a string: a statement keyword followed by the clause that makes it one.
const SQL = /['"`]\s*(SELECT\s[\s\S]*?\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS\s*\()\b/i;

const violations = [];
const graph = new Map();
for (const file of files) {
  const src = readFileSync(join(root, file), 'utf8');
  const deps = [];
  if (isSurface(file)) {
    const m = SQL.exec(src);
    if (m) violations.push(`${file}: SQL in a route or command (${m[0].trim().slice(0, 40)}…); it belongs in a shared/store repository behind a hub/ use case`);
    if (/\.db\.query\b|\bstore\.db\b/.test(src)) violations.push(`${file}: queries the store directly; call a hub/ use case`);
    if (/\bstore\.tenant\(/.test(src)) violations.push(`${file}: reaches the store's repositories (store.tenant(…)); call a hub/ use case`);
  }
  for (const m of src.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    if (!spec || !spec.startsWith('.')) continue;
    const target = relative(root, normalize(join(dirname(join(root, file)), spec)));
    deps.push(target);
    const from = file.split('/')[0];
    const to = target.split('/')[0];
    const fromProvider = providerOf(file);
    const toProvider = providerOf(target);
    if (toProvider && toProvider !== fromProvider && file !== 'connectors/registry.ts' && !isTestish(file)) {
      violations.push(`${file} imports provider folder ${target} (only connectors/registry.ts may)`);
    }
    if (fromProvider && to === 'connectors' && !toProvider && !/^connectors\/(connector|errors)\.ts$/.test(target) && !(isTestish(file) && target.startsWith('connectors/conformance/'))) {
      violations.push(`${file}: a provider folder imports only shared/ and the contract, not ${target}`);
    }
    if (target === 'connectors/registry.ts' && from !== 'hub' && from !== 'connectors' && !isTestish(file)) {
      violations.push(`${file} imports connectors/registry.ts: only the composition root (hub/) loads provider code`);
    }
    if (isSurface(file) && /^shared\/store\//.test(target) && !isTestish(file)) {
      violations.push(`${file} -> ${target}: routes and commands reach the store through hub/ use cases`);
    }
    if (from !== to && !isTestish(file)) {
      if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${file} -> ${target}: ${from}/ may not depend on ${to}/`);
      else if (!PUBLIC.some((re) => re.test(target)) && !(from === 'hub' && target === 'connectors/registry.ts')) violations.push(`${file} -> ${target}: reaches into ${to}/ internals; import its index.ts`);
    }
  }
  graph.set(file, deps);
}

// Cycle check over non-test files (tests import anything; they are leaves).
const state = new Map();
const stack = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const d of graph.get(f) ?? []) {
    if (!graph.has(d) || isTestish(d)) continue;
    if (state.get(d) === 1) violations.push(`cycle: ${[...stack.slice(stack.indexOf(d)), d].join(' -> ')}`);
    else if (!state.has(d)) visit(d);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of graph.keys()) if (!state.has(f) && !isTestish(f)) visit(f);

if (violations.length) {
  console.error(violations.join('\n'));
  console.error(`${violations.length} dependency violation(s)`);
  process.exit(1);
}
console.log(`dependency check: ${files.length} files, no violations, no cycles`);
