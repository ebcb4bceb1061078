/** The channel supervisor suite again, on a PostgreSQL server (its claims use SKIP LOCKED and leases). */
process.env.CALHUB_SUPERVISOR_TEST_PG = '1';
await import('./supervisor.test.ts');
