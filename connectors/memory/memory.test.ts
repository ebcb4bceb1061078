import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEventInput } from '../../shared/model/index.ts';
import type { ConnectorContext } from '../connector.ts';
import { runCalendarLifecycleSuite } from '../conformance/calendar-lifecycle.ts';
import type { ConformanceHarness } from '../conformance/harness.ts';
import { UnsupportedError } from '../errors.ts';
import { runConformanceSuite } from '../conformance/suite.ts';
import { MemoryBackend, MemoryConnector } from './index.ts';

const ctx: ConnectorContext = {
  credentials: { kind: 'none' },
  signal: new AbortController().signal,
  log: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(),
};

function harness(emptyPages: boolean): ConformanceHarness {
  const backend = new MemoryBackend({ pageSize: 7 });
  backend.emitEmptyPages = emptyPages;
  const calendarId = backend.addCalendar({ name: 'Conformance' });
  return {
    connector: new MemoryConnector(backend),
    ctx,
    calendar: { providerCalendarId: calendarId, timeZone: 'UTC' },
    pageSize: backend.pageSize,
    remote: {
      createEvent: async (e: CanonicalEventInput) => backend.put(calendarId, null, [parseEvent(e)]).remoteId,
      updateTitle: async (id, title) => {
        const obj = backend.get(calendarId, id)!;
        backend.put(calendarId, id, obj.events.map((e) => ({ ...e, title })));
      },
      deleteEvent: async (id) => void backend.delete(calendarId, id),
      invalidateCursors: async () => backend.invalidateCursors(),
      failNext: async (kind) => backend.failNext(kind),
      emitsEmptyPages: emptyPages,
    },
    cleanup: async () => {},
  };
}

for (const emptyPages of [false, true]) {
  runConformanceSuite(`memory${emptyPages ? ' (with empty pages)' : ''}`, async () => harness(emptyPages));
}
// The first calendar (the harness's) is the memory backend's primary.
runCalendarLifecycleSuite('memory', async () => harness(false), { primaryRefused: true, renamesPrimary: true });

describe('memory renameCalendar', () => {
  it('refuses a read-only (someone else\u2019s) calendar as not-calendar-owner and keeps its name', async () => {
    const backend = new MemoryBackend();
    backend.addCalendar({ name: 'Mine' });
    const theirs = backend.addCalendar({ name: 'Theirs', readOnly: true });
    const connector = new MemoryConnector(backend);
    await assert.rejects(connector.renameCalendar(ctx, { providerCalendarId: theirs, timeZone: 'UTC' }, 'x'), (e: unknown) => e instanceof UnsupportedError && e.reason === 'not-calendar-owner');
    assert.equal(backend.calendar(theirs)!.name, 'Theirs');
  });
});
