/** The API suites again, on a PostgreSQL server (each app in its own schema, dropped after). */
import { PG_ENV } from './test-support.ts';

process.env[PG_ENV] = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
await import('./freebusy.test.ts');
await import('./availability.test.ts');
await import('./events.test.ts');
await import('./security.test.ts');
await import('./openapi.test.ts');
await import('./limits.test.ts');
await import('./busy-cache.test.ts');
await import('./webhooks.test.ts');
await import('./webhook-payloads.test.ts');
await import('./event-times.test.ts');
await import('./idempotency.test.ts');
await import('./paging.test.ts');
await import('./partial.test.ts');
await import('./if-free.test.ts');
