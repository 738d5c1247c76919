import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Calendar,
  isWithinCalendar,
  nextWorkingWindow,
  parseCalendar,
  workingIntervals,
} from '../domain/calendar.ts';

const t = (iso: string) => new Date(iso).getTime();
const cal = (timeZone: string, extra: Partial<Calendar> = {}): Calendar => ({
  timeZone,
  weekly: {
    mon: [
      ['08:00', '12:00'],
      ['13:00', '18:00'],
    ],
    tue: [['08:00', '18:00']],
    wed: [['08:00', '18:00']],
    thu: [['08:00', '18:00']],
    fri: [['08:00', '18:00']],
    sun: [['01:00', '04:00']],
  },
  closed: ['2026-12-25'],
  ...extra,
});

describe('working calendars', () => {
  // 2026-11-30 is a Monday; Shanghai is UTC+8 all year; New York switched to EST (UTC-5) on 2026-11-01.
  const cases: [string, Calendar | null, string, string, boolean][] = [
    ['no calendar: always', null, '2026-11-29T03:00:00Z', '2026-11-29T23:00:00Z', true],
    ['Shanghai morning', cal('Asia/Shanghai'), '2026-11-30T00:00:00Z', '2026-11-30T04:00:00Z', true],
    ['Shanghai across lunch', cal('Asia/Shanghai'), '2026-11-30T03:30:00Z', '2026-11-30T05:30:00Z', false],
    ['Shanghai before opening', cal('Asia/Shanghai'), '2026-11-29T23:30:00Z', '2026-11-30T00:30:00Z', false],
    ['Shanghai afternoon', cal('Asia/Shanghai'), '2026-11-30T05:00:00Z', '2026-11-30T10:00:00Z', true],
    ['Saturday closed', cal('Asia/Shanghai'), '2026-11-28T02:00:00Z', '2026-11-28T03:00:00Z', false],
    [
      'New York Monday 08:00 EST = 13:00Z',
      cal('America/New_York'),
      '2026-11-30T13:00:00Z',
      '2026-11-30T14:00:00Z',
      true,
    ],
    ['New York 07:00 EST', cal('America/New_York'), '2026-11-30T12:00:00Z', '2026-11-30T13:00:00Z', false],
    [
      'New York in summer (EDT): 08:00 = 12:00Z',
      cal('America/New_York'),
      '2026-06-01T12:00:00Z',
      '2026-06-01T13:00:00Z',
      true,
    ],
    [
      'closed date (Friday 25 Dec)',
      cal('Asia/Shanghai'),
      '2026-12-25T01:00:00Z',
      '2026-12-25T02:00:00Z',
      false,
    ],
    ['Thursday 24 Dec open', cal('Asia/Shanghai'), '2026-12-24T01:00:00Z', '2026-12-24T02:00:00Z', true],
    // Sunday 01:00-04:00 in Shanghai is Saturday 17:00-20:00 UTC: the local weekday decides.
    [
      'local weekday, not UTC weekday',
      cal('Asia/Shanghai'),
      '2026-11-28T17:00:00Z',
      '2026-11-28T20:00:00Z',
      true,
    ],
  ];
  for (const [name, c, a, b, expected] of cases) {
    it(name, () => assert.equal(isWithinCalendar(c, t(a), t(b)), expected));
  }

  it('lists the working intervals of a day, merged and clipped', () => {
    const got = workingIntervals(cal('Asia/Shanghai'), t('2026-11-30T02:00:00Z'), t('2026-11-30T12:00:00Z'));
    assert.deepEqual(
      got.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()]),
      [
        ['2026-11-30T02:00:00.000Z', '2026-11-30T04:00:00.000Z'],
        ['2026-11-30T05:00:00.000Z', '2026-11-30T10:00:00.000Z'],
      ],
    );
  });

  it('finds the next working window (Friday evening -> Sunday night local)', () => {
    const w = nextWorkingWindow(cal('Asia/Shanghai'), t('2026-11-27T10:30:00Z'), 60);
    assert.equal(new Date(w!.start).toISOString(), '2026-11-28T17:00:00.000Z');
    assert.equal(w!.end - w!.start, 3_600_000);
    assert.equal(
      nextWorkingWindow(cal('Asia/Shanghai', { weekly: {} }), t('2026-11-27T10:30:00Z'), 60),
      null,
    );
  });

  it('handles the DST change day (New York, 2026-03-08: 02:00 jumps to 03:00)', () => {
    const c = cal('America/New_York', { weekly: { sun: [['01:00', '05:00']] } });
    const got = workingIntervals(c, t('2026-03-08T00:00:00Z'), t('2026-03-09T00:00:00Z'));
    // 01:00 EST = 06:00Z, 05:00 EDT = 09:00Z: three real hours.
    assert.deepEqual(got, [{ start: t('2026-03-08T06:00:00Z'), end: t('2026-03-08T09:00:00Z') }]);
  });

  const bad: [string, unknown][] = [
    ['unknown zone', { timeZone: 'Mars/Olympus', weekly: {} }],
    ['bad weekday', { timeZone: 'UTC', weekly: { funday: [] } }],
    ['bad time', { timeZone: 'UTC', weekly: { mon: [['8:00', '12:00']] } }],
    ['reversed span', { timeZone: 'UTC', weekly: { mon: [['12:00', '08:00']] } }],
    ['bad closed date', { timeZone: 'UTC', weekly: {}, closed: ['25/12/2026'] }],
    ['not an object', [1, 2]],
  ];
  for (const [name, raw] of bad) {
    it(`refuses a calendar with ${name}`, () => assert.ok('error' in parseCalendar(raw)));
  }
  it('accepts 24:00 and a missing calendar', () => {
    assert.deepEqual(parseCalendar(null), { calendar: null });
    const ok = parseCalendar({ timeZone: 'UTC', weekly: { mon: [['00:00', '24:00']] } });
    assert.ok('calendar' in ok);
    assert.equal(isWithinCalendar(ok.calendar, t('2026-11-30T00:00:00Z'), t('2026-12-01T00:00:00Z')), true);
  });
});
