import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMicrosoftConnector } from '../connectors/microsoft/index.ts';
import { parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { MAX_SINGLES, passed, seriesAsSingles, seriesUnheld, singleKey, singleOf, singlesWindow } from './mirror-singles.ts';

const UID = 'calhub-x@calhub';
const at = (date: string, hour = 9) => ({ dateTime: `${date}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const series = (rrule: string, date = '2027-03-01', hour = 9) => parseEvent({ uid: UID, title: 'Busy', start: at(date, hour), end: at(date, hour + 1), recurrence: { rrules: [rrule], exdates: [], rdates: [] } });
const window = (from: string, to: string) => ({ start: new Date(`${from}T00:00:00Z`), end: new Date(`${to}T00:00:00Z`) });
const times = (m: Map<string, CanonicalEvent>) => [...m].map(([k, e]) => `${k} ${'dateTime' in e.start ? e.start.dateTime : ''}`);
const graph = createMicrosoftConnector({});
const hold = graph.cannotHold!.bind(graph);

describe('seriesUnheld: which series a mirror writes as singles', () => {
  it('a rule Graph has no pattern for, where a single event would do', () => {
    assert.match(seriesUnheld(hold, series('FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=6'), 'UTC') ?? '', /Microsoft Graph cannot store the recurrence/);
    assert.match(seriesUnheld(hold, series('FREQ=HOURLY;COUNT=5'), 'UTC') ?? '', /cannot store/);
    assert.match(seriesUnheld(hold, series('FREQ=MONTHLY;BYDAY=1MO,1TU;COUNT=4'), 'UTC') ?? '', /cannot store/);
  });

  it('none for a series Graph holds, a single event, or a target without the check', () => {
    assert.equal(seriesUnheld(hold, series('FREQ=WEEKLY;COUNT=6'), 'UTC'), null);
    assert.equal(seriesUnheld(hold, { ...series('FREQ=HOURLY'), recurrence: null }, 'UTC'), null);
    assert.equal(seriesUnheld(null, series('FREQ=HOURLY;COUNT=5'), 'UTC'), null);
  });
});

describe('seriesAsSingles: a series copy as single events over the window', () => {
  it('one single per occurrence at its time, no recurrence, keyed by original start', () => {
    const { singles, cutAt } = seriesAsSingles([series('FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=4')], 'UTC', window('2027-02-28', '2029-01-01'));
    assert.deepEqual(times(singles), [
      '2027-03-01T09:00:00Z 2027-03-01T09:00:00Z', '2027-03-15T09:00:00Z 2027-03-15T09:00:00Z',
      '2027-04-01T09:00:00Z 2027-04-01T09:00:00Z', '2027-04-15T09:00:00Z 2027-04-15T09:00:00Z',
    ]);
    assert.ok([...singles.values()].every((e) => e.recurrence === null && e.originalStart === null && e.title === 'Busy'));
    assert.equal(cutAt, null);
  });

  it('a cancelled instance has none; a moved one is at its new time; an EXDATE has none', () => {
    const m = series('FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=4');
    const withExdate = { ...m, recurrence: { ...m.recurrence!, exdates: [at('2027-04-15')] } };
    const cancelled = { ...m, originalStart: at('2027-03-15'), start: at('2027-03-15'), end: at('2027-03-15', 10), recurrence: null, status: 'cancelled' as const };
    const moved = { ...m, originalStart: at('2027-04-01'), start: at('2027-04-02', 13), end: at('2027-04-02', 14), recurrence: null };
    const { singles } = seriesAsSingles([withExdate, cancelled, moved], 'UTC', window('2027-02-28', '2029-01-01'));
    assert.deepEqual(times(singles), ['2027-03-01T09:00:00Z 2027-03-01T09:00:00Z', '2027-04-01T09:00:00Z 2027-04-02T13:00:00Z']);
  });

  it('the window moving on a day adds the next occurrences and names the same ones by the same keys', () => {
    const daily = [series('FREQ=DAILY;BYHOUR=9,15')];
    const today = seriesAsSingles(daily, 'UTC', window('2027-03-01', '2027-03-03')).singles;
    const tomorrow = seriesAsSingles(daily, 'UTC', window('2027-03-02', '2027-03-04')).singles;
    assert.deepEqual([...today.keys()], ['2027-03-01T09:00:00Z', '2027-03-01T15:00:00Z', '2027-03-02T09:00:00Z', '2027-03-02T15:00:00Z']);
    assert.deepEqual([...tomorrow.keys()], ['2027-03-02T09:00:00Z', '2027-03-02T15:00:00Z', '2027-03-03T09:00:00Z', '2027-03-03T15:00:00Z']);
    // What left the window has passed, and its single stays (mirror.ts keeps its link).
    assert.ok(passed('2027-03-01T15:00:00Z', window('2027-03-02', '2027-03-04').start.getTime()));
    assert.ok(!passed('2027-03-02T09:00:00Z', window('2027-03-02', '2027-03-04').start.getTime()));
    assert.ok(passed('2027-03-01', Date.parse('2027-03-02T00:00:00Z')));
  });

  it('an hourly series over the horizon is cut at MAX_SINGLES, the earliest kept, and says where', () => {
    const { singles, cutAt } = seriesAsSingles([series('FREQ=HOURLY')], 'UTC', window('2027-03-01', '2029-03-01'));
    assert.equal(singles.size, MAX_SINGLES);
    assert.equal([...singles.keys()][0], '2027-03-01T09:00:00Z');
    assert.equal(cutAt, new Date(Date.parse('2027-03-01T09:00:00Z') + MAX_SINGLES * 3_600_000).toISOString());
  });

  it('a daily series over the default horizon (730 days and a day) fits the cap', () => {
    const { singles, cutAt } = seriesAsSingles([series('FREQ=DAILY')], 'UTC', window('2027-03-01', '2029-03-01'));
    assert.equal(singles.size, 731);
    assert.equal(cutAt, null);
  });
});

describe('single link keys', () => {
  it('name their series and occurrence; other keys are none', () => {
    assert.deepEqual(singleOf(singleKey('a@x\u00022027-01-01', '2027-03-01T09:00:00Z')), { seriesKey: 'a@x\u00022027-01-01', occurrenceKey: '2027-03-01T09:00:00Z' });
    assert.equal(singleOf('a@x\u00012027-03-01T09:00:00Z'), null);
    assert.equal(singlesWindow(new Date('2027-03-02T17:30:00Z'), new Date('2029-01-01')).start.toISOString(), '2027-03-01T00:00:00.000Z');
  });
});
