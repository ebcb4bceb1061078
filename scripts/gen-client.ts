/**
 * Generates the typed TypeScript client's schema (clients/typescript/schema.ts) from the API's
 * own /openapi.json with openapi-typescript. `npm run gen:client` writes it; api/client.test.ts
 * regenerates it and fails when the committed file differs (the client is stale).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../api/app.ts';
import { openHub } from '../hub/index.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { Store } from '../shared/store/index.ts';

export const SCHEMA_PATH = fileURLToPath(new URL('../clients/typescript/schema.ts', import.meta.url));

const HEADER = '/**\n * Generated from calhub\'s /openapi.json by scripts/gen-client.ts (openapi-typescript). Do not edit:\n * run `npm run gen:client` after changing a route; api/client.test.ts fails when this file is stale.\n */\n\n';

/** The OpenAPI document a hub serves (an in-memory store: the document does not depend on data). */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = await Store.open({ dataDir: null });
  await store.migrate();
  const hub = await openHub({ store, metrics: createMetrics(), logger: createLogger({ level: 'silent' }), connect: () => Promise.reject(new Error('no provider')) });
  const app = await buildApp({ hub, probes: [] });
  try {
    await app.ready();
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
    await store.close();
  }
}

export async function generateSchema(doc: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_PATH, await generateSchema(await openApiDocument()));
  console.log(`wrote ${SCHEMA_PATH}`);
}
