/**
 * A connector that kept an item by a fallback reading (CalDAV: a DTEND before DTSTART, an unknown
 * TZID) says so in the change's `warnings`; the pull logs them with the calendar and remote id, so
 * operators see which item was read how, and the item is stored.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { CalendarConnector } from '../connectors/connector.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

it('logs the warnings of a pulled item once, with its calendar and remote id, and stores the item', async () => {
  env = await memoryEnv({ calendars: 1 });
  const [cal] = env.calendars;
  const warned: Array<Record<string, unknown>> = [];
  const log = env.deps.log;
  env.deps.log = Object.assign(Object.create(log) as typeof log, { warn: (obj: Record<string, unknown>, msg?: string) => void warned.push({ ...obj, msg }) });
  const connect = env.deps.connect;
  env.deps.connect = async (...args: Parameters<typeof connect>) => {
    const got = await connect(...args);
    const inner = got.connector;
    const connector: CalendarConnector = Object.assign(Object.create(inner) as CalendarConnector, {
      listChanges: async (...a: Parameters<CalendarConnector['listChanges']>) => {
        const page = await inner.listChanges(...a);
        return { ...page, changes: page.changes.map((c) => (c.kind === 'upsert' ? { ...c, warnings: ['TZID "Office Time" is unknown: read as floating'] } : c)) };
      },
    });
    return { ...got, connector };
  };
  const ev = sampleEvent({ uid: 'odd@test' });
  const obj = env.backend.put(env.providerIds[0]!, null, [ev]);
  const r = await settle(env.deps, env.tenantId, [cal!]);
  assert.equal(r.failures.size, 0);
  assert.equal((await env.store.tenant(env.tenantId).events.byUid(cal!, 'odd@test')).length, 1, 'the item is stored');
  const mine = warned.filter((w) => w.remoteId === obj.remoteId);
  assert.equal(mine.length, 1, JSON.stringify(warned));
  assert.equal(mine[0]!.calendarId, cal);
  assert.deepEqual(mine[0]!.warnings, ['TZID "Office Time" is unknown: read as floating']);
});
