/**
 * SEQUENCE as other clients read it back from the server (RFC 5545 §3.8.7.4): calhub's update of
 * a series, an override or a single event raises it above what the server held when the change
 * is significant (times, recurrence, status), per VEVENT, and leaves it alone for a retitle.
 * Before, calhub wrote back the SEQUENCE it had read: Apple Calendar, Thunderbird and iTIP
 * consumers could not tell a moved meeting from the earlier revision.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventTimeKey, parseEvent } from '../../shared/model/index.ts';
import { cancelRegular, findOccurrence, settle, writeOccurrence, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { describeOnDavServers } from '../support/caldav-harness.ts';
import { authHeader, type DavServer } from '../support/dav-servers.ts';

const UID = 'sequence@calhub.test';
const berlin = (day: number, hour: number) => ({ dateTime: `2027-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'Europe/Berlin' });
const MASTER = parseEvent({ uid: UID, title: 'Daily', start: berlin(1, 8), end: berlin(1, 9), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });

/** `RECURRENCE-ID or 'series'` → SEQUENCE, as the server's stored text says. */
async function sequences(dav: DavServer, env: ModelEnv): Promise<Record<string, number>> {
  const [held] = await env.driver.list(0);
  assert.ok(held, 'the series is on the server');
  const res = await fetch(new URL(held.remoteId, dav.url), { headers: authHeader(dav) });
  assert.equal(res.status, 200);
  const text = (await res.text()).replace(/\r\n[ \t]/g, '');
  const out: Record<string, number> = {};
  for (const block of text.split('BEGIN:VEVENT').slice(1)) {
    const seq = /\r?\nSEQUENCE:(\d+)/.exec(block);
    assert.ok(seq, `each VEVENT carries SEQUENCE:\n${block}`);
    const rid = /\r?\nRECURRENCE-ID[^:]*:(\S+)/.exec(block);
    out[rid ? rid[1]! : 'series'] = Number(seq[1]);
  }
  assert.deepEqual(held.events.map((e) => e.sequence).sort(), Object.values(out).sort(), 'the parsed form agrees with the text');
  return out;
}

async function scenario(dav: DavServer, env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  const rows = async () => (await t.events.byUid(cal, UID)).map((r) => ({ ...r.event, providerEventId: r.remoteId }));
  const sync = async () => {
    const r = await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual([...r.failures.values()], []);
  };
  const edit = async (change: (e: ReturnType<typeof parseEvent>) => Partial<ReturnType<typeof parseEvent>>) => {
    await writeUid(env.deps, env.tenantId, cal, UID, (await rows()).map((e) => (e.originalStart ? e : { ...e, ...change(e) })));
    await sync();
  };

  await writeUid(env.deps, env.tenantId, cal, UID, [MASTER]);
  await sync();
  assert.deepEqual(await sequences(dav, env), { series: 0 }, 'created as revision 0');

  await edit(() => ({ title: 'Daily standup', description: 'notes' }));
  assert.deepEqual(await sequences(dav, env), { series: 0 }, 'a retitle is not a new revision');

  await edit(() => ({ start: berlin(1, 9), end: berlin(1, 10) }));
  assert.deepEqual(await sequences(dav, env), { series: 1 }, 'the series moved: raised');

  // An occurrence moved in the hub: its new override starts from the series' revision, one above.
  const masterId = async () => (await t.events.byUid(cal, UID)).find((r) => r.event.originalStart === null)!.id;
  let at = await findOccurrence(env.store, env.tenantId, await masterId(), '2027-03-03T09:00:00Z');
  assert.equal(at.override, null, 'a regular occurrence');
  if (at.override === null) await writeOccurrence(env.deps, env.tenantId, at, { ...at.base, start: berlin(3, 11), end: berlin(3, 12) });
  await sync();
  const RID3 = '20270303T100000';
  assert.deepEqual(await sequences(dav, env), { series: 1, [RID3]: 2 }, 'the moved occurrence is a new revision of it; the series keeps its own');

  at = await findOccurrence(env.store, env.tenantId, await masterId(), '2027-03-03T09:00:00Z');
  assert.ok(at.override);
  await writeOccurrence(env.deps, env.tenantId, at, { ...at.override.event, title: 'Moved standup' });
  await sync();
  assert.deepEqual(await sequences(dav, env), { series: 1, [RID3]: 2 }, 'retitling the override changes neither');

  // Another occurrence cancelled (an EXDATE on the series): the series is revised, the override is not.
  const regular = await findOccurrence(env.store, env.tenantId, await masterId(), '2027-03-04T09:00:00Z');
  assert.equal(regular.override, null);
  if (regular.override === null) await cancelRegular(env.deps, env.tenantId, regular);
  await sync();
  assert.deepEqual(await sequences(dav, env), { series: 2, [RID3]: 2 }, 'an EXDATE raises the series');

  // Another client revised it to 7 meanwhile: calhub's writes never go below the server's.
  const [held] = await env.driver.list(0);
  await env.driver.put(0, held!.remoteId, held!.events.map((e) => ({ ...e, sequence: 7 })));
  await sync();
  await edit(() => ({ title: 'Standup' }));
  assert.deepEqual(await sequences(dav, env), { series: 7, [RID3]: 7 }, 'kept at the server\'s 7');
  await edit(() => ({ status: 'cancelled' }));
  assert.deepEqual(await sequences(dav, env), { series: 8, [RID3]: 7 }, 'the series cancelled: raised above 7');
  const exdates = (await rows()).find((e) => e.originalStart === null)!.recurrence!.exdates.map(eventTimeKey);
  assert.deepEqual(exdates, ['2027-03-04T09:00:00Z'], 'the cancelled occurrence is still an EXDATE');
  assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'and a sync after writes nothing');
}

describeOnDavServers((name) => `SEQUENCE of calhub's updates, read back from ${name}`, (s) => {
  it('raised for times, recurrence and status, per VEVENT; kept for a retitle; never below the server\'s', async () => scenario(s.dav, await davModelEnv(s.dav, s.store)));
});
