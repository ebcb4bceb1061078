/**
 * The series could not be read at the provider while the push asked why an occurrence is gone: the
 * older answer (a cancellation, provider-cannot-restore) stands, and the failed read is logged with
 * its code, its message scrubbed of secrets. It was swallowed without a trace.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TransientError, type CalendarConnector, type ConnectorContext } from '../connectors/index.ts';
import { parseEvent } from '../shared/model/index.ts';
import { CANNOT_RESTORE, goneConflict } from './occurrence-gone.ts';

const master = {
  ...parseEvent({ uid: 'series-1', title: 'standup', start: { dateTime: '2026-12-07T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T09:15:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } }),
  providerEventId: 'AAMk-master',
};

it('a failed read of the series is logged (code, scrubbed message) and the cancellation answer stands', async () => {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const ctx = { credentials: { kind: 'none' }, signal: new AbortController().signal, now: () => new Date(), log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } } as unknown as ConnectorContext;
  const connector = {
    capabilities: { cancelledInstancesAsExdates: true },
    getObject: async () => {
      throw new TransientError('GET https://graph.example/me/events/AAMk-master?access_token=s3cr3t-token failed: 503 (Authorization: Bearer eyJ0eXAi.s3cr3t)');
    },
  } as unknown as Pick<CalendarConnector, 'getObject' | 'capabilities'>;
  const r = await goneConflict(connector, ctx, { providerCalendarId: 'cal' } as never, master, '2026-12-08T09:00:00Z');
  assert.equal(r.policy, CANNOT_RESTORE);
  const logged = lines.filter((l) => l.level === 'warn');
  assert.equal(logged.length, 1, 'one warning for the failed read');
  assert.equal(logged[0]!.obj.code, 'CONNECTOR_TRANSIENT');
  assert.equal(logged[0]!.obj.remoteId, 'AAMk-master');
  assert.match(String(logged[0]!.msg), /could not read the series/);
  const text = JSON.stringify(logged);
  assert.match(text, /503/);
  assert.doesNotMatch(text, /s3cr3t/, 'no secret in the log line');
});
