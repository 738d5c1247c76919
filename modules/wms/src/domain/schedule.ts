/**
 * Fixed times of day in a time zone ("09:00 and 14:30, Monday to Friday, Asia/Shanghai"): when the
 * next occurrence falls after a given instant. Pure: `now` is an input, time zones come from Intl.
 */
import { AppError, isTimeOfDay } from '@tenon/core';
import { WmsErrors } from './errors.ts';

export type DailySchedule = {
  timeZone: string;
  /** Local wall-clock times `HH:MM`. */
  times: string[];
  /** ISO weekdays (1 = Monday ... 7 = Sunday); all days when omitted. */
  weekdays?: number[];
};

export type Occurrence = { at: string; localDate: string; time: string };

const MINUTE = 60_000;
const DAY = 86_400_000;

function invalid(reason: string): never {
  throw new AppError(WmsErrors.WMS_INVALID_SCHEDULE, { reason });
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return invalid(`unknown time zone ${timeZone}`);
  }
}

/** Wall-clock fields of an instant in the formatter's zone, as a UTC epoch of those fields. */
function wallEpoch(format: Intl.DateTimeFormat, epoch: number): number {
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(epoch)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/**
 * The instant at which the zone's clock shows `wall` (a UTC epoch of wall fields). A wall time that
 * occurs twice (clocks going back) gives the first; one that does not exist (clocks going forward)
 * moves forward by the size of the gap.
 */
function instantOfWall(format: Intl.DateTimeFormat, wall: number): number {
  const before = wallEpoch(format, wall - DAY) - (wall - DAY);
  const after = wallEpoch(format, wall + DAY) - (wall + DAY);
  const valid = [wall - before, wall - after].filter((t) => wallEpoch(format, t) === wall);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

function validate(schedule: DailySchedule): void {
  if (schedule.times.length === 0) invalid('no times of day');
  for (const t of schedule.times) if (!isTimeOfDay(t) || t.length !== 5) invalid(`time ${t} is not HH:MM`);
  for (const d of schedule.weekdays ?? [])
    if (!Number.isInteger(d) || d < 1 || d > 7) invalid(`weekday ${d} is not 1..7`);
  if (schedule.weekdays && schedule.weekdays.length === 0) invalid('no weekdays');
}

/** The next `count` occurrences strictly after `after` (an instant). */
export function nextOccurrences(schedule: DailySchedule, after: Date, count = 1): Occurrence[] {
  validate(schedule);
  const format = formatterFor(schedule.timeZone);
  const times = [...new Set(schedule.times)].sort();
  const start = wallEpoch(format, after.getTime());
  const firstDay = start - (start % DAY);
  const out: Occurrence[] = [];
  for (let day = firstDay - DAY; out.length < count && day < firstDay + 400 * DAY; day += DAY) {
    const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
    if (schedule.weekdays && !schedule.weekdays.includes(weekday)) continue;
    for (const time of times) {
      const [h, m] = time.split(':').map(Number);
      const at = instantOfWall(format, day + h! * 60 * MINUTE + m! * MINUTE);
      if (at > after.getTime() && out.length < count)
        out.push({
          at: new Date(at).toISOString(),
          localDate: new Date(day).toISOString().slice(0, 10),
          time,
        });
    }
  }
  return out;
}

/** Occurrences in (since, now]: what an automatic releaser that last ran at `since` owes now. */
export function dueOccurrences(schedule: DailySchedule, since: Date, now: Date): Occurrence[] {
  const due: Occurrence[] = [];
  let cursor = since;
  for (;;) {
    const [next] = nextOccurrences(schedule, cursor, 1);
    if (!next || Date.parse(next.at) > now.getTime()) return due;
    due.push(next);
    cursor = new Date(next.at);
  }
}
