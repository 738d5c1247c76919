import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import { dueOccurrences, nextOccurrences } from '../schedule.ts';

const shanghai = { timeZone: 'Asia/Shanghai', times: ['14:30', '09:00'], weekdays: [1, 2, 3, 4, 5] };

describe('release schedules', () => {
  const table: [string, string, string][] = [
    // now (UTC)                 next release (UTC)          why
    ['2026-11-26T00:30:00Z', '2026-11-26T01:00:00.000Z', 'Thursday 08:30 Shanghai -> 09:00 the same day'],
    [
      '2026-11-26T01:00:00Z',
      '2026-11-26T06:30:00.000Z',
      'exactly at 09:00 -> the next is 14:30 (strictly after)',
    ],
    ['2026-11-26T07:00:00Z', '2026-11-27T01:00:00.000Z', 'after 14:30 -> Friday 09:00'],
    ['2026-11-27T07:00:00Z', '2026-11-30T01:00:00.000Z', 'Friday evening -> Monday 09:00 (weekend skipped)'],
    [
      '2026-11-25T20:00:00Z',
      '2026-11-26T01:00:00.000Z',
      'UTC says Wednesday, Shanghai already Thursday 04:00',
    ],
  ];
  for (const [now, expected, why] of table) {
    it(why, () => {
      assert.equal(nextOccurrences(shanghai, new Date(now))[0]!.at, expected);
    });
  }

  it('follows daylight saving time in Europe/Berlin', () => {
    const berlin = { timeZone: 'Europe/Berlin', times: ['06:00'] };
    // Summer time (UTC+2) ends on 2026-10-25.
    assert.equal(
      nextOccurrences(berlin, new Date('2026-10-24T12:00:00Z'))[0]!.at,
      '2026-10-25T05:00:00.000Z',
    );
    assert.equal(
      nextOccurrences(berlin, new Date('2026-10-23T12:00:00Z'))[0]!.at,
      '2026-10-24T04:00:00.000Z',
    );
  });

  it('moves a wall time inside a spring-forward gap forward, and takes the first of a repeated one', () => {
    const at = (timeZone: string, after: string) =>
      nextOccurrences({ timeZone, times: ['02:30'] }, new Date(after))[0]!.at;
    // Berlin 2026-03-29: 02:00 CET -> 03:00 CEST, so 02:30 does not exist: 03:30 CEST.
    assert.equal(at('Europe/Berlin', '2026-03-28T12:00:00Z'), '2026-03-29T01:30:00.000Z');
    // New York 2026-03-08: 02:00 EST -> 03:00 EDT: 03:30 EDT.
    assert.equal(at('America/New_York', '2026-03-07T12:00:00Z'), '2026-03-08T07:30:00.000Z');
    // Berlin 2026-10-25: 02:30 happens twice; the first is 02:30 CEST.
    assert.equal(at('Europe/Berlin', '2026-10-24T12:00:00Z'), '2026-10-25T00:30:00.000Z');
    // The day after, plain CET.
    assert.equal(at('Europe/Berlin', '2026-10-25T12:00:00Z'), '2026-10-26T01:30:00.000Z');
  });

  it('lists what an automatic releaser owes since its last run', () => {
    const due = dueOccurrences(shanghai, new Date('2026-11-26T00:00:00Z'), new Date('2026-11-27T02:00:00Z'));
    assert.deepEqual(
      due.map((d) => `${d.localDate} ${d.time}`),
      ['2026-11-26 09:00', '2026-11-26 14:30', '2026-11-27 09:00'],
    );
  });

  const bad: [string, object][] = [
    ['an unknown time zone', { timeZone: 'Mars/Olympus', times: ['09:00'] }],
    ['a malformed time', { timeZone: 'UTC', times: ['9:00'] }],
    ['no times', { timeZone: 'UTC', times: [] }],
    ['a weekday out of range', { timeZone: 'UTC', times: ['09:00'], weekdays: [0] }],
  ];
  for (const [name, schedule] of bad) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => nextOccurrences(schedule as never, new Date('2026-11-26T00:00:00Z')),
        (err: unknown) => isAppError(err) && err.code === 'WMS_INVALID_SCHEDULE',
      );
    });
  }
});
