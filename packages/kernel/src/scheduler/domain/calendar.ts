/**
 * Working calendars of resources, pure: `{ timeZone, weekly: { mon: [["08:00","12:00"]], ... }, closed:
 * ["2026-12-25"] }`. Weekly hours are local wall-clock times in the calendar's IANA time zone (DST
 * included); `closed` lists local dates with no working time. No calendar = always available.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Calendar = {
  timeZone: string;
  weekly: Partial<Record<Weekday, [string, string][]>>;
  closed: string[];
};

/** A half-open interval of instants [start, end), in epoch milliseconds. */
export type Interval = { start: number; end: number };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

const minutesOf = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

function validZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Checks a stored calendar; null (no calendar) is valid and means always available. */
export function parseCalendar(raw: unknown): { calendar: Calendar | null } | { error: string } {
  if (raw === null || raw === undefined) return { calendar: null };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { error: 'a calendar is an object' };
  const c = raw as Record<string, unknown>;
  if (!validZone(c.timeZone)) return { error: `unknown time zone ${String(c.timeZone)}` };
  const weekly: Calendar['weekly'] = {};
  const w = c.weekly ?? {};
  if (typeof w !== 'object' || w === null || Array.isArray(w)) return { error: 'weekly is an object' };
  for (const [day, spans] of Object.entries(w)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) return { error: `unknown weekday ${day}` };
    if (!Array.isArray(spans)) return { error: `weekly.${day} is a list of [from, to]` };
    const list: [string, string][] = [];
    for (const span of spans) {
      if (
        !Array.isArray(span) ||
        span.length !== 2 ||
        !span.every((t) => typeof t === 'string' && TIME.test(t))
      ) {
        return { error: `weekly.${day}: each span is ["HH:MM", "HH:MM"]` };
      }
      if (minutesOf(span[0]) >= minutesOf(span[1]))
        return { error: `weekly.${day}: a span ends after it starts` };
      list.push([span[0], span[1]]);
    }
    weekly[day as Weekday] = list;
  }
  const closed = c.closed ?? [];
  if (!Array.isArray(closed) || !closed.every((d) => typeof d === 'string' && DATE.test(d))) {
    return { error: 'closed is a list of dates YYYY-MM-DD' };
  }
  return { calendar: { timeZone: c.timeZone as string, weekly, closed: closed as string[] } };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock of an instant in a zone, as if it were UTC (epoch ms). */
function wallClock(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The instant of a local wall-clock time (epoch ms as if UTC) in a zone; gaps (DST) move forward. */
function instantOf(wall: number, zone: string): number {
  const first = wall - (wallClock(wall, zone) - wall);
  const second = wall - (wallClock(first, zone) - first);
  return second;
}

const isoDate = (wallDay: number): string => new Date(wallDay).toISOString().slice(0, 10);

/** The working intervals of a calendar that overlap [from, to), merged and sorted. */
export function workingIntervals(calendar: Calendar | null, from: number, to: number): Interval[] {
  if (!calendar) return from < to ? [{ start: from, end: to }] : [];
  const zone = calendar.timeZone;
  const closed = new Set(calendar.closed);
  const firstDay = Math.floor(wallClock(from, zone) / DAY) * DAY - DAY;
  const lastDay = Math.floor(wallClock(to, zone) / DAY) * DAY + DAY;
  const out: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day += DAY) {
    if (closed.has(isoDate(day))) continue;
    const spans = calendar.weekly[WEEKDAYS[new Date(day).getUTCDay()]!] ?? [];
    for (const [a, b] of spans) {
      const start = instantOf(day + minutesOf(a) * MINUTE, zone);
      const end = instantOf(day + minutesOf(b) * MINUTE, zone);
      if (end > from && start < to) out.push({ start: Math.max(start, from), end: Math.min(end, to) });
    }
  }
  return mergeIntervals(out);
}

export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((x, y) => x.start - y.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** Is the whole slot [start, end) working time? */
export function isWithinCalendar(calendar: Calendar | null, start: number, end: number): boolean {
  const working = workingIntervals(calendar, start, end);
  return working.length === 1 && working[0]!.start === start && working[0]!.end === end;
}

/** The first working window of at least `minutes` starting at or after `from` (searching `horizonDays`). */
export function nextWorkingWindow(
  calendar: Calendar | null,
  from: number,
  minutes: number,
  horizonDays = 31,
): Interval | null {
  for (const i of workingIntervals(calendar, from, from + horizonDays * DAY)) {
    if (i.end - i.start >= minutes * MINUTE) return { start: i.start, end: i.start + minutes * MINUTE };
  }
  return null;
}
