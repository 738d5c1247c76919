/** The schedule's pure helpers: ranges, bar positions clipped to the range, lanes for overlaps. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barOf, lanesOf, rangeOf, shift, ticksOf } from '../timeline.ts';

test('a day runs from local midnight; a week from Monday', () => {
  const wed = new Date(2026, 10, 25, 15, 30); // Wednesday 25 Nov 2026, local time
  const day = rangeOf(wed, 'day');
  assert.deepEqual([day.from, day.to], [new Date(2026, 10, 25), new Date(2026, 10, 26)]);
  const week = rangeOf(wed, 'week');
  assert.deepEqual([week.from, week.to], [new Date(2026, 10, 23), new Date(2026, 10, 30)]);
  const sunday = rangeOf(new Date(2026, 10, 29, 23), 'week');
  assert.deepEqual(sunday.from, new Date(2026, 10, 23));
  assert.deepEqual(shift(wed, 'week', -1), new Date(2026, 10, 18, 15, 30));
  assert.deepEqual(shift(wed, 'day', 1), new Date(2026, 10, 26, 15, 30));
});

test('bars are percentages of the range, clipped, and null outside it', () => {
  const range = { from: new Date('2026-11-25T00:00:00Z'), to: new Date('2026-11-26T00:00:00Z') };
  assert.deepEqual(barOf({ startAt: '2026-11-25T06:00:00Z', endAt: '2026-11-25T12:00:00Z' }, range), {
    left: 25,
    width: 25,
  });
  assert.deepEqual(barOf({ startAt: '2026-11-24T18:00:00Z', endAt: '2026-11-25T06:00:00Z' }, range), {
    left: 0,
    width: 25,
  });
  assert.equal(barOf({ startAt: '2026-11-26T00:00:00Z', endAt: '2026-11-26T01:00:00Z' }, range), null);
  assert.equal(barOf({ startAt: '2026-11-25T05:00:00Z', endAt: '2026-11-25T05:00:00Z' }, range), null);
});

test('overlapping allocations take separate lanes; touching ones share a lane', () => {
  const lanes = lanesOf([
    { id: 'c', startAt: '2026-11-25T10:00:00Z', endAt: '2026-11-25T11:00:00Z' },
    { id: 'a', startAt: '2026-11-25T08:00:00Z', endAt: '2026-11-25T10:00:00Z' },
    { id: 'b', startAt: '2026-11-25T09:00:00Z', endAt: '2026-11-25T12:00:00Z' },
  ]);
  assert.deepEqual(
    lanes.map((l) => [l.item.id, l.lane]),
    [
      ['a', 0],
      ['b', 1],
      ['c', 0],
    ],
  );
});

test('ticks: every two hours of a day, every day of a week', () => {
  const wed = new Date(2026, 10, 25);
  assert.equal(ticksOf(rangeOf(wed, 'day'), 'day', 'zh-CN').length, 12);
  const week = ticksOf(rangeOf(wed, 'week'), 'week', 'en');
  assert.equal(week.length, 7);
  assert.equal(week[0]!.left, 0);
  assert.match(week[0]!.label, /Mon/);
});
