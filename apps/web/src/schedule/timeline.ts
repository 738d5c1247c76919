/** Pure helpers of the resource schedule: the shown range, bar positions, and lanes for overlaps. */

export type Span = 'day' | 'week';
export type Range = { from: Date; to: Date };
export type Allocation = {
  id: string;
  pid: string;
  resourceId: string;
  quantity: number;
  startAt: string;
  endAt: string;
  kind: 'booking' | 'hold';
  releasedAt: string | null;
};

const DAY = 86_400_000;

/** Local midnight of `anchor`'s day, or of the Monday of its week; `to` is exclusive. */
export function rangeOf(anchor: Date, span: Span): Range {
  const from = new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate());
  if (span === 'week') from.setDate(from.getDate() - ((from.getDay() + 6) % 7));
  const to = new Date(from);
  to.setDate(to.getDate() + (span === 'week' ? 7 : 1));
  return { from, to };
}

/** The anchor moved by one span (`step` = -1 or 1). */
export function shift(anchor: Date, span: Span, step: number): Date {
  const next = new Date(anchor);
  next.setDate(next.getDate() + step * (span === 'week' ? 7 : 1));
  return next;
}

/** Left and width in percent of the range, clipped to it; null when outside. */
export function barOf(
  a: Pick<Allocation, 'startAt' | 'endAt'>,
  range: Range,
): { left: number; width: number } | null {
  const from = range.from.getTime();
  const total = range.to.getTime() - from;
  const start = Math.max(new Date(a.startAt).getTime(), from);
  const end = Math.min(new Date(a.endAt).getTime(), range.to.getTime());
  if (!(end > start)) return null;
  return { left: ((start - from) / total) * 100, width: ((end - start) / total) * 100 };
}

/** Lanes so that overlapping allocations of one resource sit one above the other (first fit). */
export function lanesOf<T extends Pick<Allocation, 'startAt' | 'endAt'>>(
  items: T[],
): { item: T; lane: number }[] {
  const sorted = [...items].sort((a, b) => a.startAt.localeCompare(b.startAt));
  const laneEnds: number[] = [];
  return sorted.map((item) => {
    const start = new Date(item.startAt).getTime();
    let lane = laneEnds.findIndex((end) => end <= start);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = new Date(item.endAt).getTime();
    return { item, lane };
  });
}

/** Tick marks: every 2 hours for a day, every day for a week (label, percent). */
export function ticksOf(range: Range, span: Span, lang: string): { label: string; left: number }[] {
  const total = range.to.getTime() - range.from.getTime();
  const ticks: { label: string; left: number }[] = [];
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  if (span === 'day') {
    for (let h = 0; h < 24; h += 2) {
      ticks.push({ label: `${String(h).padStart(2, '0')}:00`, left: ((h * 3_600_000) / total) * 100 });
    }
    return ticks;
  }
  const fmt = new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'numeric', day: 'numeric' });
  for (let d = 0; d < 7; d++) {
    ticks.push({
      label: fmt.format(new Date(range.from.getTime() + d * DAY)),
      left: ((d * DAY) / total) * 100,
    });
  }
  return ticks;
}
