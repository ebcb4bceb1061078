/**
 * echoOfMaster decides by the fields the connector says its provider carries from a series into
 * its overrides (capabilities.fieldsCarriedToOverrides), not by a list of Google's in the engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GOOGLE_CAPABILITIES } from '../connectors/google/index.ts';
import { parseEvent } from '../shared/model/index.ts';
import { echoOfMaster } from './push.ts';

const at = (h: number) => ({ dateTime: `2027-02-09T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const base = parseEvent({ uid: 'u', title: 'Standup', originalStart: at(14), start: at(18), end: at(19) });
const series = parseEvent({ uid: 'u', title: 'Standup', location: 'Room 9', start: at(15), end: at(16), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
const carried = { ...base, location: 'Room 9' };

describe('echoOfMaster', () => {
  it("an override that took only the series' new location is the echo where the provider carries locations", () => {
    assert.equal(echoOfMaster(carried, base, series, GOOGLE_CAPABILITIES.fieldsCarriedToOverrides ?? []), true);
  });
  it('where the provider carries nothing, the same difference is a change made elsewhere', () => {
    assert.equal(echoOfMaster(carried, base, series, []), false);
  });
  it("a field that is not the series' new value is a change made elsewhere, whatever is carried", () => {
    assert.equal(echoOfMaster({ ...carried, title: 'Standup with Ann' }, base, series, ['title', 'location']), false);
  });
});
