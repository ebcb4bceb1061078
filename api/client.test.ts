/** The typed client in clients/typescript/ stays in step with the server, and the README shows the example that runs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generateSchema, openApiDocument, SCHEMA_PATH } from '../scripts/gen-client.ts';

const root = new URL('..', import.meta.url);

test('clients/typescript/schema.ts is what /openapi.json generates today (else: npm run gen:client)', async () => {
  const fresh = await generateSchema(await openApiDocument());
  const committed = readFileSync(SCHEMA_PATH, 'utf8');
  if (fresh !== committed) {
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    assert.fail(`the typed client is stale: run npm run gen:client. First difference at line ${at + 1}:\n- ${a[at]}\n+ ${b[at]}`);
  }
  // The paths app builders need are typed.
  for (const p of ['"/v1/availability"', '"/v1/calendars/{id}/events"', '"idempotency-key"?: string', 'nextCursor', 'timeNotes']) assert.ok(committed.includes(p), p);
});

test('the README shows clients/typescript/example.ts as it is', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const example = readFileSync(new URL('clients/typescript/example.ts', root), 'utf8');
  const body = example.slice(example.indexOf('import {'));
  assert.ok(readme.includes(body), 'README.md must contain clients/typescript/example.ts from its first import on');
});
