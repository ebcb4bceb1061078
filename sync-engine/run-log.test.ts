import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import type { EngineDeps } from './deps.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

/** A JSON-lines logger whose lines the test reads back. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination: stream, pretty: false }), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('sync run log lines (settle, the in-process sync)', () => {
  it('every line of a run carries tenant, account, calendar and run ids, the connector\'s too', async () => {
    env = await memoryEnv({ calendars: 2 });
    const out = capture();
    const [a, b] = env.calendars as [string, string];
    const accountId = (await env.store.tenant(env.tenantId).calendars.get(a))!.accountId;
    // The connector logs through its context, as the real ones do on retries and quirks.
    const deps: EngineDeps = {
      ...env.deps,
      log: out.log,
      connect: async (account, calendar) => {
        const c = await env.deps.connect(account, calendar);
        const listChanges: typeof c.connector.listChanges = (ctx, ref, cursor) => {
          ctx.log.info({ cursor: cursor ? 'set' : null }, 'listing changes');
          return c.connector.listChanges(ctx, ref, cursor);
        };
        return { ...c, connector: Object.assign(Object.create(c.connector) as typeof c.connector, { listChanges }) };
      },
    };
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'one' })]);
    await settle(deps, env.tenantId, [a, b], { runId: 'run-1' });
    // An expired cursor makes the pull warn and list in full: a line the engine itself writes.
    env.backend.invalidateCursors();
    await settle(deps, env.tenantId, [a, b], { runId: 'run-2' });

    const lines = out.lines();
    assert.ok(lines.some((l) => l.msg === 'sync cursor invalid; starting a full resync'), 'the engine logged');
    assert.ok(lines.filter((l) => l.msg === 'listing changes').length >= 4, 'the connector logged');
    for (const l of lines) {
      assert.equal(l.tenantId, env.tenantId, JSON.stringify(l));
      assert.equal(l.accountId, accountId, JSON.stringify(l));
      assert.ok(l.calendarId === a || l.calendarId === b, JSON.stringify(l));
      assert.match(String(l.runId), /^run-[12]$/, JSON.stringify(l));
    }
    assert.deepEqual([...new Set(lines.filter((l) => l.msg === 'listing changes').map((l) => l.calendarId))].sort(), [a, b].sort());
  });
});
