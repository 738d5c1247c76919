/** Capacity over time, pure: how much of a resource is in use during an interval, and its free slots. */
import { type Interval, workingIntervals } from './calendar.ts';

/** One allocation of a resource, in epoch milliseconds. */
export type Use = { start: number; end: number; quantity: number; pid?: string };

/** The highest total quantity in use at any instant of [start, end). */
export function peakUse(uses: readonly Use[], start: number, end: number): number {
  const points: [number, number][] = [];
  for (const u of uses) {
    if (u.end <= start || u.start >= end) continue;
    points.push([Math.max(u.start, start), u.quantity], [Math.min(u.end, end), -u.quantity]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, delta] of points) {
    now += delta;
    if (now > peak) peak = now;
  }
  return peak;
}

/** The first use that, with `quantity` more, would exceed capacity in [start, end) (the clashing slot). */
export function firstClash(
  uses: readonly Use[],
  capacity: number,
  quantity: number,
  start: number,
  end: number,
): Use | null {
  const overlapping = uses.filter((u) => u.end > start && u.start < end).sort((a, b) => a.start - b.start);
  for (const u of overlapping) {
    if (peakUse(overlapping, Math.max(u.start, start), Math.min(u.end, end)) + quantity > capacity) return u;
  }
  return null;
}

/**
 * Free windows of at least `minutes` in [from, to): working time where `quantity` more fits, merged.
 */
export function freeWindows(input: {
  calendar: Parameters<typeof workingIntervals>[0];
  capacity: number;
  uses: readonly Use[];
  quantity: number;
  from: number;
  to: number;
  minutes: number;
}): Interval[] {
  const out: Interval[] = [];
  for (const w of workingIntervals(input.calendar, input.from, input.to)) {
    const cuts = new Set<number>([w.start, w.end]);
    for (const u of input.uses) {
      if (u.start > w.start && u.start < w.end) cuts.add(u.start);
      if (u.end > w.start && u.end < w.end) cuts.add(u.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    let open: Interval | null = null;
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i]!;
      const b = points[i + 1]!;
      if (peakUse(input.uses, a, b) + input.quantity > input.capacity) {
        if (open) out.push(open);
        open = null;
      } else if (open) open.end = b;
      else open = { start: a, end: b };
    }
    if (open) out.push(open);
  }
  return out.filter((i) => i.end - i.start >= input.minutes * 60_000);
}
