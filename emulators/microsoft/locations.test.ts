/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const ROOM = { displayName: 'Conf Room Adams', locationType: 'conferenceRoom', locationEmailAddress: 'adams@contoso.com', uniqueId: 'adams@contoso.com', uniqueIdType: 'directory' };

describe('Graph emulator: location and locations (event.md, location.md, user-post-events samples)', () => {
  let g: TestGraph;
  before(async () => {
    g = await startTestGraph();
  });
  after(async () => {
    await g.emu.close();
  });
  const create = async (extra: Record<string, unknown>) => {
    const r = await g.call('POST', '/me/events', { body: timed('x', '2026-07-01T10:00:00', '2026-07-01T11:00:00', 'UTC', extra) });
    assert.equal(r.status, 201);
    return r.json;
  };

  it('a name alone is echoed with locationType default, uniqueId = name, uniqueIdType private, in both properties', async () => {
    const ev = await create({ location: { displayName: "Harry's Bar" } });
    const echo = { displayName: "Harry's Bar", locationType: 'default', uniqueId: "Harry's Bar", uniqueIdType: 'private' };
    assert.deepEqual([ev.location, ev.locations], [echo, [echo]]);
  });

  it('a room keeps every field; a PATCH of location alone replaces the locations collection', async () => {
    const ev = await create({ location: ROOM, locations: [ROOM] });
    assert.deepEqual([ev.location, ev.locations], [ROOM, [ROOM]]);
    const kept = (await g.call('PATCH', `/me/events/${ev.id}`, { body: { subject: 'y' } })).json;
    assert.deepEqual([kept.location, kept.locations], [ROOM, [ROOM]]);
    const named = (await g.call('PATCH', `/me/events/${ev.id}`, { body: { location: { displayName: 'Annex' } } })).json;
    assert.equal(named.location.locationEmailAddress, undefined);
    assert.deepEqual(named.locations.map((l: any) => l.displayName), ['Annex']);
    const none = (await g.call('PATCH', `/me/events/${ev.id}`, { body: { location: { displayName: '' } } })).json;
    assert.deepEqual([none.location, none.locations], [{ displayName: '', locationType: 'default', uniqueIdType: 'unknown' }, []]);
  });

  it('several locations show in location as their names joined by "; "', async () => {
    const ev = await create({ locations: [{ displayName: 'Conf Room 3' }, ROOM] });
    assert.equal(ev.location.displayName, 'Conf Room 3; Conf Room Adams');
    assert.deepEqual(ev.locations[1], ROOM);
    assert.deepEqual(ev.locations[0], { displayName: 'Conf Room 3', locationType: 'default', uniqueIdType: 'unknown' });
  });
});
