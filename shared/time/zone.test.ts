import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localToUtcMs, utcMsToLocal, zoneOffsetMs } from './index.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const H = 3_600_000;

test('plain conversion both ways', () => {
  assert.equal(iso(localToUtcMs('2026-07-01T09:00:00', 'Europe/Berlin')), '2026-07-01T07:00:00.000Z');
  assert.equal(iso(localToUtcMs('2026-01-15T09:00:00', 'America/New_York')), '2026-01-15T14:00:00.000Z');
  assert.equal(utcMsToLocal(Date.parse('2026-07-01T07:00:00Z'), 'Europe/Berlin'), '2026-07-01T09:00:00');
  assert.equal(utcMsToLocal(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin'), '2026-03-29T03:00:00');
  assert.equal(localToUtcMs('2026-05-05T05:05:05', 'UTC'), Date.parse('2026-05-05T05:05:05Z'));
  assert.equal(utcMsToLocal(Date.parse('2026-12-31T23:30:00Z'), 'Asia/Kolkata'), '2027-01-01T05:00:00');
});

test('spring-forward gap moves forward by the gap length (RFC 5545 §3.3.5)', () => {
  // America/New_York 2026-03-08 02:00 → 03:00: 02:30 does not exist, becomes 03:30 EDT.
  const t = localToUtcMs('2026-03-08T02:30:00', 'America/New_York');
  assert.equal(iso(t), '2026-03-08T07:30:00.000Z');
  assert.equal(utcMsToLocal(t, 'America/New_York'), '2026-03-08T03:30:00');
  const b = localToUtcMs('2026-03-29T02:15:00', 'Europe/Berlin');
  assert.equal(utcMsToLocal(b, 'Europe/Berlin'), '2026-03-29T03:15:00');
  // Lord Howe's half-hour shift: 02:00 → 02:30 on 2026-10-04.
  const lh = localToUtcMs('2026-10-04T02:10:00', 'Australia/Lord_Howe');
  assert.equal(utcMsToLocal(lh, 'Australia/Lord_Howe'), '2026-10-04T02:40:00');
});

test('fall-back overlap takes the first occurrence', () => {
  // New York 2026-11-01 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
  assert.equal(iso(localToUtcMs('2026-11-01T01:30:00', 'America/New_York')), '2026-11-01T05:30:00.000Z');
  assert.equal(iso(localToUtcMs('2026-10-25T02:30:00', 'Europe/Berlin')), '2026-10-25T00:30:00.000Z');
  // Just outside the repeated hour.
  assert.equal(iso(localToUtcMs('2026-11-01T02:00:00', 'America/New_York')), '2026-11-01T07:00:00.000Z');
  assert.equal(iso(localToUtcMs('2026-11-01T00:59:59', 'America/New_York')), '2026-11-01T04:59:59.000Z');
});

test('offsets, including at the exact transition instant', () => {
  assert.equal(zoneOffsetMs(Date.parse('2026-07-01T00:00:00Z'), 'Europe/Berlin'), 2 * H);
  assert.equal(zoneOffsetMs(Date.parse('2026-01-01T00:00:00Z'), 'America/New_York'), -5 * H);
  assert.equal(zoneOffsetMs(Date.parse('2026-11-01T05:59:59Z'), 'America/New_York'), -4 * H);
  assert.equal(zoneOffsetMs(Date.parse('2026-11-01T06:00:00Z'), 'America/New_York'), -5 * H);
  assert.equal(zoneOffsetMs(Date.parse('2026-06-01T00:00:00Z'), 'Asia/Kathmandu'), 5.75 * H);
  assert.equal(zoneOffsetMs(Date.parse('1995-06-01T00:00:00Z'), 'UTC'), 0);
});

test('unknown zone is a ValidationError', () => {
  assert.throws(() => localToUtcMs('2026-01-01T00:00:00', 'Mars/Olympus'), { name: 'ValidationError' });
  assert.throws(() => localToUtcMs('2026-01-01 00:00', 'UTC'), { name: 'ValidationError' });
});
