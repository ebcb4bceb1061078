import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', '.git', 'docs', 'test', 'bench', 'emulators']);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Codes raised by hub errors (`super('CODE', …)`) and declared in API error registries (`code: 'CODE'`). */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  const patterns = [/super\(\s*'([A-Z][A-Z0-9_]{3,})'/g, /new HubError\(\s*'([A-Z][A-Z0-9_]{3,})'/g, /\bcode:\s*'([A-Z][A-Z0-9_]{3,})'/g, /\bcode = '([A-Z][A-Z0-9_]{3,})'/g];
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) codes.add(m[1]!);
  }
  return codes;
}

function codesInDocs(): Set<string> {
  const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  return new Set([...doc.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1]!));
}

test('every error code in the code has a row in docs/errors.md', () => {
  const documented = codesInDocs();
  const missing = [...codesInSource()].filter((c) => !documented.has(c));
  assert.deepEqual(missing, [], `undocumented codes: ${missing.join(', ')}`);
});

test('docs/errors.md lists no code the code does not raise', () => {
  const raised = codesInSource();
  const stale = [...codesInDocs()].filter((c) => !raised.has(c));
  assert.deepEqual(stale, [], `documented but unused: ${stale.join(', ')}`);
});

test('every code a hub error raises below the API is one codeOfError reads back from a recorded failure', async () => {
  const { HUB_ERROR_CODES } = await import('../shared/error-codes.ts');
  const raised = new Set<string>();
  for (const dir of ['connectors', 'sync-engine', 'oauth', 'hub', 'shared']) {
    for (const file of sources(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const re of [/super\(\s*'([A-Z][A-Z0-9_]{3,})'/g, /new HubError\(\s*'([A-Z][A-Z0-9_]{3,})'/g]) for (const m of text.matchAll(re)) raised.add(m[1]!);
    }
  }
  const documented = codesInDocs();
  assert.deepEqual([...raised].filter((c) => !HUB_ERROR_CODES.has(c)), [], 'raised but not in shared/error-codes.ts');
  assert.deepEqual([...HUB_ERROR_CODES].filter((c) => !documented.has(c)), [], 'listed but not in docs/errors.md');
});
