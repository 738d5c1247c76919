/**
 * Waves: delivery orders grouped by rules (cut-off time window, carrier, route, priority) and cut to
 * a maximum of orders and lines per wave. Pure and deterministic: the same orders give the same waves.
 */
import { AppError } from '@tenon/core';
import { WmsErrors } from './errors.ts';

export type WaveOrderLine = {
  lineId: string;
  item: string;
  lot?: string;
  /** Bin the reservation takes the stock from. */
  bin: string;
  quantity: string;
  uom: string;
};

export type WaveOrder = {
  id: string;
  carrier: string;
  route: string;
  /** Higher goes first. */
  priority: number;
  /** Instant by which the order must be shipped (ISO, with offset). */
  cutoff: string;
  lines: WaveOrderLine[];
};

export type WaveGrouping = 'carrier' | 'route' | 'priority' | 'cutoff';

export type WaveRule = {
  groupBy: WaveGrouping[];
  /** With `cutoff` grouping: orders whose cut-offs fall in the same window of this many minutes wave together. */
  windowMinutes?: number;
  maxOrders?: number;
  maxLines?: number;
  /** Orders whose cut-off is later than now + this many minutes wait for a later wave. */
  horizonMinutes?: number;
};

export type Wave = {
  /** Grouping key, e.g. `carrier=SF|cutoff=2026-11-26T08:00:00.000Z`, plus `#n` when cut by size. */
  key: string;
  orders: WaveOrder[];
  lineCount: number;
  earliestCutoff: string;
  /** Some order's cut-off has already passed at `now`. */
  late: boolean;
};

export type WavePlan = { waves: Wave[]; deferred: WaveOrder[] };

function ruleError(reason: string): never {
  throw new AppError(WmsErrors.WMS_INVALID_WAVE_RULE, { reason });
}

function checkRule(rule: WaveRule): void {
  const positiveInt = (v: number | undefined) => v === undefined || (Number.isInteger(v) && v > 0);
  if (!positiveInt(rule.maxOrders)) ruleError('maxOrders must be a positive integer');
  if (!positiveInt(rule.maxLines)) ruleError('maxLines must be a positive integer');
  if (!positiveInt(rule.windowMinutes)) ruleError('windowMinutes must be a positive integer');
  if (rule.horizonMinutes !== undefined && !(rule.horizonMinutes >= 0))
    ruleError('horizonMinutes must be >= 0');
  if (new Set(rule.groupBy).size !== rule.groupBy.length) ruleError('groupBy repeats a field');
}

function cutoffOf(order: WaveOrder): number {
  const at = Date.parse(order.cutoff);
  if (Number.isNaN(at)) ruleError(`order ${order.id} has no valid cut-off`);
  return at;
}

function keyOf(order: WaveOrder, rule: WaveRule): string {
  return rule.groupBy
    .map((field) => {
      if (field === 'cutoff') {
        const window = (rule.windowMinutes ?? 60) * 60_000;
        const at = cutoffOf(order);
        return `cutoff=${new Date(at - (((at % window) + window) % window)).toISOString()}`;
      }
      return `${field}=${String(order[field])}`;
    })
    .join('|');
}

/** Groups orders into waves; orders beyond the horizon are deferred. */
export function planWaves(orders: readonly WaveOrder[], rule: WaveRule, now: Date): WavePlan {
  checkRule(rule);
  const horizon =
    rule.horizonMinutes === undefined
      ? Number.POSITIVE_INFINITY
      : now.getTime() + rule.horizonMinutes * 60_000;
  const sorted = [...orders].sort(
    (a, b) =>
      b.priority - a.priority || cutoffOf(a) - cutoffOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const deferred: WaveOrder[] = [];
  const groups = new Map<string, WaveOrder[]>();
  for (const order of sorted) {
    if (cutoffOf(order) > horizon) {
      deferred.push(order);
      continue;
    }
    const key = keyOf(order, rule);
    const group = groups.get(key) ?? [];
    group.push(order);
    groups.set(key, group);
  }
  const waves: Wave[] = [];
  for (const [key, group] of groups) {
    const parts: WaveOrder[][] = [];
    let current: WaveOrder[] = [];
    let lines = 0;
    for (const order of group) {
      const n = order.lines.length;
      const full =
        current.length > 0 &&
        ((rule.maxOrders !== undefined && current.length >= rule.maxOrders) ||
          (rule.maxLines !== undefined && lines + n > rule.maxLines));
      if (full) {
        parts.push(current);
        current = [];
        lines = 0;
      }
      current.push(order);
      lines += n;
    }
    if (current.length > 0) parts.push(current);
    parts.forEach((part, i) => {
      const earliest = Math.min(...part.map(cutoffOf));
      waves.push({
        key: parts.length > 1 ? `${key}#${i + 1}` : key,
        orders: part,
        lineCount: part.reduce((sum, o) => sum + o.lines.length, 0),
        earliestCutoff: new Date(earliest).toISOString(),
        late: earliest < now.getTime(),
      });
    });
  }
  // Most urgent wave first: earliest cut-off, then highest priority, then key.
  waves.sort(
    (a, b) =>
      Date.parse(a.earliestCutoff) - Date.parse(b.earliestCutoff) ||
      b.orders[0]!.priority - a.orders[0]!.priority ||
      (a.key < b.key ? -1 : 1),
  );
  return { waves, deferred };
}
